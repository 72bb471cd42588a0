using System.Buffers;

using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

using MessagePack;

using Parmap.Executors;
using Parmap.Remote;

namespace Parmap.Tests.Remote;

/// <summary>A batch crossing to a worker and back, without the worker: inputs out, results (values and errors) back.</summary>
public class BatchCodecTests
{
    [Property(MaxTest = 200)]
    public Property RoundTrip_AnyRangeWithFailures_EveryPositionGetsItsValueOrError(NonEmptyArray<string> inputs, NonNegativeInt lo, PositiveInt every)
    {
        // Given a batch, and a range of it sent to a "worker"
        var all = inputs.Get.Select(s => s ?? "").ToArray();
        var sent = new Batch<string, int>(all.Length);
        sent.Reset(all.Length);
        all.CopyTo(sent.Inputs, 0);
        sent.Count = all.Length;
        var start = lo.Get % all.Length;
        var count = all.Length - start;
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        Assert.True(BatchCodec<string, int>.TryWriteInputs(ref writer, sent, start, count, out _, out _));
        writer.Flush();

        // When the worker reads them, runs them (every k-th fails), and sends the results back
        var received = new Batch<string, int>(1);
        var reader = new MessagePackReader(buffer.WrittenMemory);
        BatchCodec<string, int>.ReadInputs(ref reader, received, count);
        for (var p = 0; p < count; p++)
        {
            if (p % every.Get == 0)
            {
                received.SetError(p, new FormatException($"bad {received.Inputs[p]}"));
            }
            else
            {
                received.Values[p] = received.Inputs[p].Length;
            }
        }
        var answer = new ArrayBufferWriter<byte>();
        var answerWriter = new MessagePackWriter(answer);
        BatchCodec<string, int>.WriteResults(ref answerWriter, received, 0, count);
        answerWriter.Flush();
        var answerReader = new MessagePackReader(answer.WrittenMemory);
        var ran = BatchCodec<string, int>.ReadResults(ref answerReader, sent, start, "worker 9");

        // Then each position of the range has the worker's value, or its error rebuilt
        var ok = ran == count && answerReader.End;
        for (var p = 0; p < count; p++)
        {
            ok &= p % every.Get == 0
                ? sent.Errors[start + p] is FormatException e && e.Message == $"bad {all[start + p]}"
                : sent.Errors[start + p] is null && sent.Values[start + p] == all[start + p].Length;
        }
        return (ok && sent.FailedCount == Enumerable.Range(0, count).Count(p => p % every.Get == 0)).ToProperty();
    }

    [Fact]
    public void WriteResults_InParts_ReadBackIntoTheSamePositions()
    {
        // Given a worker's batch of 6 whose outcomes go back in two parts (a partial answer, then the rest), one failed
        var worker = new Batch<int, int>(6);
        worker.Reset(6);
        worker.Count = 6;
        for (var p = 0; p < 6; p++)
        {
            worker.Values[p] = p * 10;
        }
        worker.SetError(4, new FormatException("four"));
        var owner = new Batch<int, int>(10);
        owner.Reset(10);
        owner.Count = 10;

        // When both parts are read into the owner's batch, whose position 3 is the worker's 0
        var ends = new List<int>();
        foreach (var (from, to) in new[] { (0, 2), (2, 6) })
        {
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            BatchCodec<int, int>.WriteResults(ref writer, worker, from, to);
            writer.Flush();
            var reader = new MessagePackReader(buffer.WrittenMemory);
            ends.Add(BatchCodec<int, int>.ReadResults(ref reader, owner, 3, "worker 1"));
        }

        // Then each read says where it ended, and every outcome is at its place
        Assert.Equal([2, 6], ends);
        Assert.Equal([0, 10, 20, 30], owner.Values[3..7]);
        Assert.Equal(50, owner.Values[8]);
        Assert.Equal("four", Assert.IsType<FormatException>(owner.Errors[7]).Message);
        Assert.Equal(1, owner.FailedCount);
    }

    [Fact]
    public void TryWriteInputs_OneInputCannotBeWritten_NamesItsPosition()
    {
        var batch = new Batch<Unwritable, int>(4);
        batch.Reset(4);
        for (var p = 0; p < 4; p++)
        {
            batch.Inputs[p] = new Unwritable(p == 2);
        }
        batch.Count = 4;
        var writer = new MessagePackWriter(new ArrayBufferWriter<byte>());

        var ok = BatchCodec<Unwritable, int>.TryWriteInputs(ref writer, batch, 1, 3, out var bad, out var error);

        Assert.False(ok);
        Assert.Equal(2, bad);
        Assert.Contains("could not be serialized", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailUnwritableResults_ResultThatCannotBeWritten_OnlyThatItemFails()
    {
        var batch = new Batch<int, Unwritable>(3);
        batch.Reset(3);
        batch.Count = 3;
        batch.Values[0] = new Unwritable(false);
        batch.Values[1] = new Unwritable(true);
        batch.Values[2] = new Unwritable(false);

        BatchCodec<int, Unwritable>.FailUnwritableResults(batch, 0, 3);

        Assert.Equal(1, batch.FailedCount);
        Assert.IsType<MessagePackSerializationException>(batch.Errors[1]);
        var writer = new MessagePackWriter(new ArrayBufferWriter<byte>());
        BatchCodec<int, Unwritable>.WriteResults(ref writer, batch, 0, 3);
    }

    public sealed class Unwritable
    {
        public Unwritable()
        {
        }

        public Unwritable(bool broken)
        {
            Broken = broken;
        }

        public bool Broken { get; set; }

        public int Value
        {
            get => Broken ? throw new InvalidOperationException("cannot be written") : 1;
            set => _ = value;
        }
    }
}
