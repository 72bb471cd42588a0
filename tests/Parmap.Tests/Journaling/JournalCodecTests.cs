using MessagePack;

using Parmap.Journaling;

namespace Parmap.Tests.Journaling;

public class JournalCodecTests
{
    [Theory]
    [InlineData(new[] { 3, 4 })]
    [InlineData(new[] { 15, 1 })]
    [InlineData(new[] { 10, 20, 30 })]
    [InlineData(new[] { 65_535, 1 })]
    [InlineData(new[] { 40_000, 30_000, 5 })]
    public void MergeChunks_AnyHeaderSizes_OneArrayOfAllElementsInOrder(int[] counts)
    {
        // Given chunks whose array headers are fixarray, array 16 or array 32, and whose total needs a bigger header
        var chunks = new List<ChunkRecord>();
        var next = 0;
        foreach (var n in counts)
        {
            chunks.Add(new ChunkRecord(MessagePackSerializer.Serialize(Enumerable.Range(next, n).ToArray()), n, null));
            next += n;
        }

        // When they are merged
        var merged = JournalCodec.MergeChunks(chunks);

        // Then the result is one array holding every element in order
        Assert.Equal(Enumerable.Range(0, counts.Sum()), MessagePackSerializer.Deserialize<int[]>(merged));
    }
}
