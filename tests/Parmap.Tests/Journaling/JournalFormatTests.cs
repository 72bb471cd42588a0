using System.Buffers;
using System.Buffers.Binary;

using MessagePack;

using Microsoft.Data.Sqlite;

using Parmap.Journaling;

namespace Parmap.Tests.Journaling;

public class JournalFormatTests
{
    private static readonly int[] s_inputs = [.. Enumerable.Range(0, 300)];

    [Fact]
    public async Task Map_JournalOfFormat1_ResumesWithoutRecomputingAndBecomesFormat2()
    {
        // Given a finished journal whose chunks are rewritten as format 1 wrote them: [index, key, input, value]
        using var temp = new TempJournal();
        var first = await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());
        RewriteAsFormat1(temp.Path);
        Assert.Equal(1, Journal.Open(temp.Path).FormatVersion);
        var log = new CallLog();

        // When it is resumed
        var again = await Par.Map(s_inputs, log.Triple(), temp.Options());

        // Then every recorded item is read, nothing runs again, and the file now says format 2
        Assert.Equal(first, again);
        Assert.Equal(0, log.Count);
        Assert.Equal(2, Journal.Open(temp.Path).FormatVersion);
    }

    [Fact]
    public async Task Map_NewJournal_StoresEntriesOfThreeFields()
    {
        using var temp = new TempJournal();

        await Par.Map(s_inputs, new CallLog().Triple(), temp.Options());

        foreach (var (_, data) in Chunks(temp.Path))
        {
            var reader = new MessagePackReader(data);
            var count = reader.ReadArrayHeader();
            for (var k = 0; k < count; k++)
            {
                Assert.Equal(3, reader.ReadArrayHeader());
                reader.Skip();
                reader.Skip();
                reader.Skip();
            }
        }
    }

    private static void RewriteAsFormat1(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        foreach (var (chunk, data) in Chunks(path))
        {
            var entries = new List<StoredEntry>();
            JournalCodec.DecodeChunk(data, CountOf(data), entries);
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            writer.WriteArrayHeader(entries.Count);
            foreach (var e in entries)
            {
                writer.WriteArrayHeader(4);
                writer.Write(e.Index);
                writer.WriteBinHeader(16);
                BinaryPrimitives.WriteUInt128LittleEndian(writer.GetSpan(16), JournalCodec.KeyOf(e.Input.Span));
                writer.Advance(16);
                writer.WriteRaw(e.Input.Span);
                writer.WriteRaw(e.Value.Span);
            }
            writer.Flush();
            var old = buffer.WrittenSpan.ToArray();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE chunks SET data = $data, checksum = $checksum WHERE chunk = $chunk";
            update.Parameters.AddWithValue("$data", old);
            update.Parameters.AddWithValue("$checksum", JournalCodec.Checksum(old));
            update.Parameters.AddWithValue("$chunk", chunk);
            update.ExecuteNonQuery();
        }
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version = 1; UPDATE journal SET value = '1' WHERE name = 'format';";
        version.ExecuteNonQuery();
    }

    private static int CountOf(byte[] data)
    {
        var reader = new MessagePackReader(data);
        return reader.ReadArrayHeader();
    }

    private static List<(long Chunk, byte[] Data)> Chunks(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT chunk, data FROM chunks ORDER BY chunk";
        using var reader = command.ExecuteReader();
        var list = new List<(long, byte[])>();
        while (reader.Read())
        {
            list.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }
        return list;
    }
}
