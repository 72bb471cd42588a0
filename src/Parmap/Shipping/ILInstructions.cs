using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;

namespace Parmap.Shipping;

/// <summary>One decoded IL instruction: its opcode and where its operand lies in the method body.</summary>
internal readonly record struct ILInstruction(OpCode OpCode, int OperandOffset, int OperandLength)
{
    /// <summary>True when the operand is a metadata token (field, method, type, member, string or signature).</summary>
    public bool HasToken => OpCode.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType
        or OperandType.InlineTok or OperandType.InlineString or OperandType.InlineSig;
}

/// <summary>Decodes a method body's IL into instructions (ECMA-335 III), enough to find the members it references.</summary>
internal static class ILInstructions
{
    private static readonly OpCode[] s_oneByte = new OpCode[256];
    private static readonly OpCode[] s_twoByte = new OpCode[256];
    private static readonly bool[] s_oneByteKnown = new bool[256];
    private static readonly bool[] s_twoByteKnown = new bool[256];

    static ILInstructions()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var opCode = (OpCode)field.GetValue(null)!;
            var value = (ushort)opCode.Value;
            if (opCode.Size == 1)
            {
                s_oneByte[value] = opCode;
                s_oneByteKnown[value] = true;
            }
            else
            {
                s_twoByte[value & 0xFF] = opCode;
                s_twoByteKnown[value & 0xFF] = true;
            }
        }
    }

    /// <summary>Every instruction of <paramref name="il"/>, in order. Throws <see cref="InvalidDataException"/> on malformed IL.</summary>
    public static List<ILInstruction> Decode(byte[] il)
    {
        var instructions = new List<ILInstruction>();
        var position = 0;
        while (position < il.Length)
        {
            OpCode opCode;
            var first = il[position++];
            if (first == 0xFE)
            {
                if (position >= il.Length || !s_twoByteKnown[il[position]])
                {
                    throw new InvalidDataException($"Unknown two-byte IL opcode at offset {position - 1}.");
                }
                opCode = s_twoByte[il[position++]];
            }
            else
            {
                if (!s_oneByteKnown[first])
                {
                    throw new InvalidDataException($"Unknown IL opcode 0x{first:X2} at offset {position - 1}.");
                }
                opCode = s_oneByte[first];
            }
            var length = OperandLength(opCode.OperandType, il, position);
            if (position + length > il.Length)
            {
                throw new InvalidDataException($"Truncated IL operand at offset {position}.");
            }
            instructions.Add(new ILInstruction(opCode, position, length));
            position += length;
        }
        return instructions;
    }

    /// <summary>The metadata token of an instruction whose <see cref="ILInstruction.HasToken"/> is true.</summary>
    public static int Token(byte[] il, ILInstruction instruction)
    {
        return BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(instruction.OperandOffset, 4));
    }

    private static int OperandLength(OperandType type, byte[] il, int position)
    {
        return type switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => position + 4 <= il.Length
                ? checked(4 + (4 * BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(position, 4))))
                : throw new InvalidDataException("Truncated IL switch."),
            _ => 4,
        };
    }
}
