using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;

using MessagePack;
using MessagePack.Formatters;

using Parmap.Serialization;

namespace Parmap.Journaling;

/// <summary>
/// How items are stored: inputs and values as MessagePack; an item's key is the 128-bit xxHash of its serialized input.
/// Finished items are stored in chunks (one row per commit, not per item): a chunk's data is a MessagePack array of
/// entries <c>[index, input, value]</c> (format 2). Format 1 stored the key too, <c>[index, key (bin 16), input, value]</c>;
/// both are read. The key is not stored because it is the input's hash: leaving it out halves what a journal of small
/// items writes, and spares the workers the hashing.
/// </summary>
internal static class JournalCodec
{
    /// <summary>Contractless, so that records, tuples and plain classes need no attributes; private types allowed (top-level programs).</summary>
    public static MessagePackSerializerOptions Options => ParmapResolver.Options;

    public static UInt128 KeyOf(ReadOnlySpan<byte> serializedInput) => XxHash128.HashToUInt128(serializedInput);

    public static long Checksum(ReadOnlySpan<byte> data) => unchecked((long)XxHash64.HashToUInt64(data));

    public static byte[] KeyBytes(UInt128 key)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(bytes, key);
        return bytes;
    }

    public static UInt128 KeyFrom(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt128LittleEndian(bytes);

    public static byte[] Serialize<T>(T value) => MessagePackSerializer.Serialize(value, Options);

    /// <summary>Readable text of stored MessagePack bytes (JSON), for messages, inspection and CSV.</summary>
    public static string ToText(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return MessagePackSerializer.ConvertToJson(bytes, Options);
        }
        catch (MessagePackSerializationException)
        {
            return $"<{bytes.Length} bytes>";
        }
    }

    /// <summary>Writes one chunk entry with the given formatters (looked up once per run, not per item).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Hot per item: compiled optimized once (see JournalSession.RecordValues).
    public static void WriteEntry<TIn, TOut>(ref MessagePackWriter writer, long index, TIn input, TOut value, IMessagePackFormatter<TIn> inputs, IMessagePackFormatter<TOut> values)
    {
        writer.WriteArrayHeader(3);
        writer.Write(index);
        inputs.Serialize(ref writer, input, Options);
        values.Serialize(ref writer, value, Options);
    }

    /// <summary>
    /// Reads a stored value with a formatter looked up once (not per value); failures
    /// are <see cref="MessagePackSerializationException"/>s, as from <see cref="MessagePackSerializer"/>.
    /// </summary>
    public static T Read<T>(IMessagePackFormatter<T> formatter, ReadOnlyMemory<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        try
        {
            return formatter.Deserialize(ref reader, Options);
        }
        catch (Exception e) when (e is not (MessagePackSerializationException or OutOfMemoryException))
        {
            throw new MessagePackSerializationException($"Failed to deserialize {typeof(T).FullName} value.", e);
        }
    }

    /// <summary>The formatter of <typeparamref name="T"/> under <see cref="Options"/>.</summary>
    public static IMessagePackFormatter<T> Formatter<T>() => Options.Resolver.GetFormatterWithVerify<T>();

    /// <summary>Writes a chunk of already serialized entries (copies between generations).</summary>
    public static byte[] EncodeChunk(IReadOnlyList<StoredEntry> entries, Func<StoredEntry, long> newIndex)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(entries.Count);
        foreach (var e in entries)
        {
            writer.WriteArrayHeader(3);
            writer.Write(newIndex(e));
            writer.WriteRaw(e.Input.Span);
            writer.WriteRaw(e.Value.Span);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Joins chunks into one: a single array header with the total count, then every chunk's entries as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Hot per batch: compiled optimized once (see JournalSession.RecordValues).
    public static byte[] MergeChunks(IReadOnlyList<ChunkRecord> chunks)
    {
        if (chunks.Count == 1)
        {
            return chunks[0].Data;
        }
        var total = 0;
        var entries = 0;
        foreach (var chunk in chunks)
        {
            total += chunk.Count;
            entries += chunk.Data.Length - HeaderLength(chunk.Data);
        }
        // One copy into an array of the exact size: a commit of small items moves megabytes here.
        var header = new ArrayBufferWriter<byte>(5);
        var writer = new MessagePackWriter(header);
        writer.WriteArrayHeader(total);
        writer.Flush();
        var merged = GC.AllocateUninitializedArray<byte>(header.WrittenCount + entries);
        header.WrittenSpan.CopyTo(merged);
        var at = header.WrittenCount;
        foreach (var chunk in chunks)
        {
            var body = chunk.Data.AsSpan(HeaderLength(chunk.Data));
            body.CopyTo(merged.AsSpan(at));
            at += body.Length;
        }
        return merged;
    }

    /// <summary>The length of the array header a chunk starts with.</summary>
    private static int HeaderLength(byte[] chunk)
    {
        var reader = new MessagePackReader(chunk);
        reader.ReadArrayHeader();
        return (int)reader.Consumed;
    }

    /// <summary>Reads the entries of a chunk; the input and value slices point into <paramref name="data"/>.</summary>
    /// <exception cref="FormatException">The chunk is not well formed.</exception>
    public static void DecodeChunk(ReadOnlyMemory<byte> data, int expectedCount, List<StoredEntry> into)
    {
        try
        {
            var reader = new MessagePackReader(data);
            var count = reader.ReadArrayHeader();
            if (count != expectedCount)
            {
                throw new FormatException($"the chunk says {count} items, its row says {expectedCount}");
            }
            for (var k = 0; k < count; k++)
            {
                var fields = reader.ReadArrayHeader();
                if (fields is not (3 or 4))
                {
                    throw new FormatException($"an entry has {fields} fields, not 3 (or 4 in format 1)");
                }
                var index = reader.ReadInt64();
                UInt128? stored = null;
                if (fields == 4)
                {
                    var keySeq = reader.ReadBytes() ?? throw new FormatException("an entry has no key");
                    if (keySeq.Length != 16)
                    {
                        throw new FormatException("an entry's key is not 16 bytes");
                    }
                    stored = KeyFrom(keySeq.IsSingleSegment ? keySeq.FirstSpan : keySeq.ToArray());
                }
                var inputStart = (int)reader.Consumed;
                reader.Skip();
                var valueStart = (int)reader.Consumed;
                reader.Skip();
                var end = (int)reader.Consumed;
                var input = data[inputStart..valueStart];
                into.Add(new StoredEntry(index, stored ?? KeyOf(input.Span), input, data[valueStart..end]));
            }
        }
        catch (MessagePackSerializationException e)
        {
            throw new FormatException(e.Message, e);
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("the chunk ends too early", e);
        }
    }
}

/// <summary>One finished item as stored: its index when recorded, its key, and its serialized input and value.</summary>
internal readonly record struct StoredEntry(long Index, UInt128 Key, ReadOnlyMemory<byte> Input, ReadOnlyMemory<byte> Value);

/// <summary>One failed item as stored.</summary>
internal sealed record StoredFailure(long Index, UInt128 Key, byte[] Input, string ErrorType, string Message, string Details, int Attempts);
