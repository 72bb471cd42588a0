using System.Buffers;

using MessagePack;

using Parmap.Remote;

namespace Parmap.Tests.Remote;

public class RemoteErrorTests
{
    [Fact]
    public void WriteRead_FrameworkException_SameTypeMessageAndRemoteStack()
    {
        var error = Thrown(() => throw new InvalidOperationException("bad state"));

        var rebuilt = RoundTrip(error, "worker 7");

        var e = Assert.IsType<InvalidOperationException>(rebuilt);
        Assert.Equal("bad state", e.Message);
        Assert.Contains(nameof(Thrown), e.StackTrace, StringComparison.Ordinal);
        Assert.Contains("--- End of stack trace in worker 7 ---", e.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRead_InnerExceptions_ChainRebuiltInOrder()
    {
        var error = new ArgumentException("outer", new FormatException("middle", new TimeoutException("inner")));

        var rebuilt = RoundTrip(error, "node a");

        Assert.IsType<ArgumentException>(rebuilt);
        var middle = Assert.IsType<FormatException>(rebuilt.InnerException);
        Assert.Equal("inner", Assert.IsType<TimeoutException>(middle.InnerException).Message);
    }

    [Fact]
    public void WriteRead_TypeWhoseConstructorTakesOtherArguments_SameTypeMessageAndStack()
    {
        var error = Thrown(() => throw new OnlyCode(42));

        var rebuilt = RoundTrip(error, "worker 1");

        var e = Assert.IsType<OnlyCode>(rebuilt);
        Assert.Equal("code 42", e.Message);
        Assert.Contains(nameof(Thrown), e.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRead_MessageOnlyAndParameterlessTypes_SameTypeMessageAndInner()
    {
        var error = new MessageOnly("the model diverged", new Parameterless());

        var rebuilt = RoundTrip(error, "worker 1");

        var e = Assert.IsType<MessageOnly>(rebuilt);
        Assert.Equal("prefix: the model diverged", e.Message); // not "prefix: prefix: ...": the (message, inner) constructor would add it again
        var inner = Assert.IsType<Parameterless>(e.InnerException);
        Assert.Equal(new Parameterless().Message, inner.Message);
    }

    [Fact]
    public void WriteRead_TypeWithComputedMessage_RemoteExceptionCarryingTypeAndMessage()
    {
        // A type whose Message is computed from state that does not travel cannot be rebuilt faithfully
        var error = Thrown(() => throw new ComputedMessage(7));

        var rebuilt = RoundTrip(error, "worker 1");

        var remote = Assert.IsType<RemoteException>(rebuilt);
        Assert.Contains(nameof(ComputedMessage), remote.RemoteType, StringComparison.Ordinal);
        Assert.Contains("status 7", remote.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), remote.RemoteStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRead_DeepChain_KeepsEightLevels()
    {
        Exception error = new InvalidOperationException("0");
        for (var k = 1; k < 20; k++)
        {
            error = new InvalidOperationException(k.ToString(System.Globalization.CultureInfo.InvariantCulture), error);
        }

        var rebuilt = RoundTrip(error, "worker 2");

        var depth = 0;
        for (var e = rebuilt; e is not null; e = e.InnerException)
        {
            depth++;
        }
        Assert.Equal(8, depth);
    }

    private static Exception RoundTrip(Exception error, string origin)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        RemoteError.Write(ref writer, error);
        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        var rebuilt = RemoteError.Read(ref reader, origin);
        Assert.True(reader.End);
        return rebuilt;
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e;
        }
        throw new InvalidOperationException("did not throw");
    }

    public sealed class OnlyCode(int code) : Exception($"code {code}");

    public sealed class MessageOnly : Exception
    {
        public MessageOnly(string message)
            : base(message)
        {
        }

        public MessageOnly(string message, Exception inner)
            : base("prefix: " + message, inner)
        {
        }
    }

    public sealed class Parameterless : Exception
    {
        public Parameterless()
            : base("nothing to say")
        {
        }
    }

    public sealed class ComputedMessage(int status) : Exception
    {
        public override string Message => $"status {status}";
    }
}
