using MessagePack;

using Parmap.Executors;

namespace Parmap.Remote;

/// <summary>
/// How a batch crosses to a worker process or cluster node and back. The sender writes a range of the batch's inputs;
/// the receiver reads them into a batch of its own, runs it, and writes the results of the positions it ran: the
/// failures (position, <see cref="RemoteError"/>) first, then every value (a failed position's as nil). An input or a
/// result that cannot be (de)serialized fails its own item only.
/// </summary>
internal static class BatchCodec<TIn, TOut>
{
    /// <summary>
    /// Sender: writes the inputs of positions [lo, lo + count). False when one cannot be written: <paramref name="bad"/> is
    /// its position and <paramref name="error"/> says why; what was written is then unusable.
    /// </summary>
    public static bool TryWriteInputs(ref MessagePackWriter writer, Batch<TIn, TOut> batch, int lo, int count, out int bad, out Exception? error)
    {
        try
        {
            Codec<TIn>.Instance.WriteMany(ref writer, batch.Inputs, lo, count, null);
            bad = -1;
            error = null;
            return true;
        }
        catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            var unwritable = Codec<TIn>.Instance.FindUnwritable(batch.Inputs, lo, count, null);
            (bad, error) = unwritable.Count > 0 ? (lo + unwritable[0].Position, unwritable[0].Error) : (lo, e);
            error = new MessagePackSerializationException($"The input could not be serialized to be sent: {error.Message}", error);
            return false;
        }
    }

    /// <summary>Receiver: reads <paramref name="count"/> inputs into positions [0, count) of <paramref name="batch"/> (reset first); one that does not deserialize fails its position.</summary>
    public static void ReadInputs(ref MessagePackReader reader, Batch<TIn, TOut> batch, int count)
    {
        batch.Reset(count);
        batch.Count = count;
        Codec<TIn>.Instance.ReadManyCarefully(ref reader, batch.Inputs, 0, count, null, (p, e) =>
            batch.SetError(p, new MessagePackSerializationException($"The input could not be deserialized where it was sent: {e.Message}", e)));
    }

    /// <summary>
    /// Receiver: writes the outcomes of positions [<paramref name="from"/>, <paramref name="to"/>) (all of a batch, or the
    /// part that finished since the last partial answer). Throws when a value cannot be serialized: then call
    /// <see cref="FailUnwritableResults"/> and write again.
    /// </summary>
    public static void WriteResults(ref MessagePackWriter writer, Batch<TIn, TOut> batch, int from, int to)
    {
        writer.Write(from);
        writer.Write(to - from);
        var failed = 0;
        for (var i = from; i < to; i++)
        {
            if (batch.Errors[i] is not null)
            {
                failed++;
            }
        }
        writer.WriteArrayHeader(failed * 2);
        for (var i = from; i < to && failed > 0; i++)
        {
            if (batch.Errors[i] is { } error)
            {
                writer.Write(i);
                RemoteError.Write(ref writer, error);
            }
        }
        Codec<TOut>.Instance.WriteMany(ref writer, batch.Values, from, to - from, failed > 0 ? batch.Errors : null);
    }

    /// <summary>Receiver: fails the items of [<paramref name="from"/>, <paramref name="to"/>) whose result cannot be serialized, so that <see cref="WriteResults"/> succeeds.</summary>
    public static void FailUnwritableResults(Batch<TIn, TOut> batch, int from, int to)
    {
        foreach (var (p, e) in Codec<TOut>.Instance.FindUnwritable(batch.Values, from, to - from, batch.Errors))
        {
            batch.SetError(from + p, new MessagePackSerializationException($"The result could not be serialized to be sent back: {e.Message}", e));
        }
    }

    /// <summary>
    /// Sender: reads the outcomes written by <see cref="WriteResults"/> into <paramref name="batch"/>, shifted by
    /// <paramref name="lo"/> (the receiver's position 0 is the sender's <paramref name="lo"/>); returns the end of what it
    /// read (receiver's positions). <paramref name="origin"/> names the receiver in remote stack traces.
    /// </summary>
    public static int ReadResults(ref MessagePackReader reader, Batch<TIn, TOut> batch, int lo, string origin)
    {
        var from = reader.ReadInt32();
        var count = reader.ReadInt32();
        var errors = reader.ReadArrayHeader() / 2;
        for (var k = 0; k < errors; k++)
        {
            var p = reader.ReadInt32();
            batch.SetError(lo + p, RemoteError.Read(ref reader, origin));
        }
        var start = lo + from;
        Codec<TOut>.Instance.ReadManyCarefully(ref reader, batch.Values, start, count, errors > 0 ? batch.Errors : null, (p, e) =>
            batch.SetError(start + p, new MessagePackSerializationException($"The result from {origin} could not be deserialized: {e.Message}", e)));
        return from + count;
    }
}
