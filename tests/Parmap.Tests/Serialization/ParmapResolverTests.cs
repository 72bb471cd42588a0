using MessagePack;
using MessagePack.Resolvers;

using Parmap.Serialization;

namespace Parmap.Tests.Serialization;

public class ParmapResolverTests
{
    public static TheoryData<Type> PrimitiveTypes => [.. ParmapResolver.PrimitiveTypes];

    [Theory]
    [MemberData(nameof(PrimitiveTypes))]
    public void GetFormatter_PrimitiveType_SameFormatterAsTheContractlessResolver(Type type)
    {
        // Given a type the resolver answers without the contractless resolver
        var get = typeof(ParmapResolverTests).GetMethod(nameof(FormatterTypes), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(type);

        // When both resolvers are asked for its formatter
        var (ours, contractless) = ((Type?, Type?))get.Invoke(null, null)!;

        // Then they are of the same type: the same bytes, so journals and their keys do not change
        Assert.NotNull(ours);
        Assert.Equal(contractless, ours);
    }

    [Fact]
    public void Serialize_PrimitivesAndOtherTypes_SameBytesAsTheContractlessResolver()
    {
        // Given values of primitive types and of types left to the contractless resolver
        object[] values = [7, -3L, 2.5, 1.25f, true, "text", new[] { 1.0, 2.0 }, new[] { "a", "b" }, (3, 4.5), new Point(1, "p"), new[] { 1L, 2L }];

        foreach (var value in values)
        {
            // When each is serialized with both
            var ours = MessagePackSerializer.Serialize(value.GetType(), value, ParmapResolver.Options);
            var contractless = MessagePackSerializer.Serialize(value.GetType(), value, ContractlessStandardResolverAllowPrivate.Options);

            // Then the bytes are the same, and read back to an equal value
            Assert.Equal(contractless, ours);
            Assert.Equal(MessagePackSerializer.ConvertToJson(contractless), MessagePackSerializer.ConvertToJson(ours));
        }
    }

    private static (Type?, Type?) FormatterTypes<T>() =>
        (ParmapResolver.Instance.GetFormatter<T>()?.GetType(), ContractlessStandardResolverAllowPrivate.Instance.GetFormatter<T>()?.GetType());

    private sealed record Point(int X, string Name);
}
