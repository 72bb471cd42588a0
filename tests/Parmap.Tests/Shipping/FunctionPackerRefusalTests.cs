using System.Linq.Expressions;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using Parmap.Shipping;

namespace Parmap.Tests.Shipping;

/// <summary>What cannot cross a process boundary is refused at Pack, naming the variable.</summary>
public sealed class FunctionPackerRefusalTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose()
    {
        File.Delete(_path);
    }

    private static UnshippableFunctionException Refused(Delegate function, string variable, Type type)
    {
        var error = Assert.Throws<UnshippableFunctionException>(() => FunctionPacker.Pack(function));
        Assert.Equal(variable, error.VariableName);
        Assert.Equal(type, error.VariableType);
        Assert.Contains($"'{variable}'", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Pack_CapturedFileStream_RefusedWithAdvice()
    {
        using var stream = new FileStream(_path, FileMode.Open);
        Func<int, long> f = x => stream.Length + x;

        var error = Refused(f, "stream", typeof(FileStream));

        Assert.Equal(
            "The function captures 'stream' (System.IO.FileStream), which cannot be sent to a worker process: streams hold OS handles. "
            + "Open the stream inside the function instead, or run on threads (ExecutorOptions.Threads).",
            error.Message);
        Assert.Equal("streams hold OS handles", error.Reason);
    }

    [Fact]
    public void Pack_FieldOfThisIsWriter_RefusedAsThisDotField()
    {
        using var writer = new StreamWriter(new MemoryStream());
        var f = new Service(writer).Work();

        Refused(f, "this._logger", typeof(StreamWriter));
    }

    [Fact]
    public void Pack_CapturedSocket_Refused()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Func<int, bool> f = _ => socket.Connected;

        var error = Refused(f, "socket", typeof(Socket));

        Assert.Contains("network connections", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CapturedThread_Refused()
    {
        var thread = new Thread(() => { });
        Func<int, bool> f = _ => thread.IsAlive;

        Refused(f, "thread", typeof(Thread));
    }

    [Fact]
    public void Pack_CapturedTask_RefusedWithAwaitAdvice()
    {
        var pending = Task.FromResult(3);
        Func<int, int> f = x => x + pending.Result;

        var error = Refused(f, "pending", pending.GetType());

        Assert.Contains("Await it before the map", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CapturedValueTask_Refused()
    {
        var pending = new ValueTask<int>(3);
        Func<int, int> f = x => x + pending.Result;

        Refused(f, "pending", typeof(ValueTask<int>));
    }

    [Fact]
    public void Pack_CapturedCancellationToken_RefusedWithParameterAdvice()
    {
        using var source = new CancellationTokenSource();
        var token = source.Token;
        Func<int, bool> f = _ => token.IsCancellationRequested;
        Func<int, bool> g = _ => source.IsCancellationRequested;

        var error = Refused(f, "token", typeof(CancellationToken));
        Refused(g, "source", typeof(CancellationTokenSource));

        Assert.Contains("CancellationToken parameter", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CapturedWaitHandlesAndLocks_Refused()
    {
        using var signal = new ManualResetEvent(false);
        using var gate = new SemaphoreSlim(1);
        Func<int, bool> f = _ => signal.WaitOne(0);
        Func<int, int> g = _ => gate.CurrentCount;

        Refused(f, "signal", typeof(ManualResetEvent));
        Refused(g, "gate", typeof(SemaphoreSlim));
    }

    [Fact]
    public void Pack_CapturedSafeHandle_Refused()
    {
        using var handle = File.OpenHandle(_path);
        Func<int, bool> f = _ => handle.IsInvalid;

        Refused(f, "handle", handle.GetType());
    }

    [Fact]
    public void Pack_CapturedPointerSizedInteger_Refused()
    {
        nint address = 42;
        Func<int, long> f = x => x + address;

        Refused(f, "address", typeof(IntPtr));
    }

    [Fact]
    public unsafe void Pack_CapturedStructWithPointerField_RefusedNamingField()
    {
        var values = new double[] { 1, 2 };
        fixed (double* data = values)
        {
            var view = new NativeView { Data = data, Length = 2 };
            Func<int, int> f = x => x + view.Length;

            var error = Refused(f, "view.Data", typeof(double*));

            Assert.Contains("pointers", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pack_CapturedDisposable_Refused()
    {
        using var resource = new Resource { Size = 3 };
        Func<int, int> f = x => x + resource.Size;

        var error = Refused(f, "resource", typeof(Resource));

        Assert.Contains("disposable", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CapturedRandom_RefusedWithSeedAdvice()
    {
        var random = new Random(1);
        Func<int, int> f = x => x + random.Next();

        var error = Refused(f, "random", typeof(Random));

        Assert.Contains("seed", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CompiledExpression_Refused()
    {
        Expression<Func<int, int>> expression = x => x * x;
        var square = expression.Compile();
        Func<int, int> f = x => square(x) + 1;

        var root = Assert.Throws<UnshippableFunctionException>(() => FunctionPacker.Pack(square));
        var captured = Refused(f, "square", typeof(Func<int, int>));

        Assert.Equal("", root.VariableName);
        Assert.Contains("Expression.Compile", root.Message, StringComparison.Ordinal);
        Assert.Contains("Expression.Compile", captured.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CapturedObjectCycle_RefusedNamingTheCycle()
    {
        var node = new Node { Value = 1 };
        node.Next = new Node { Value = 2, Next = node };
        Func<int, int> f = x => x + node.Value;

        var error = Refused(f, "node.Next.Next", typeof(Node));

        Assert.Contains("refers back to 'node'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_CapturedFrameworkTypeWithoutCopy_RefusedNamingType()
    {
        var pattern = new Regex("a+");
        Func<string, bool> f = s => pattern.IsMatch(s);

        var error = Refused(f, "pattern", typeof(Regex));

        Assert.Contains("System.Text.RegularExpressions.Regex", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_VeryLongLinkedList_RefusedAsTooDeep()
    {
        var head = new Node();
        var tail = head;
        for (var i = 0; i < 5000; i++)
        {
            tail.Next = new Node { Value = i };
            tail = tail.Next;
        }
        Func<int, int> f = x => x + head.Value;

        var error = Assert.Throws<UnshippableFunctionException>(() => FunctionPacker.Pack(f));

        Assert.StartsWith("head.Next.Next", error.VariableName, StringComparison.Ordinal);
        Assert.Contains("nested more than", error.Reason, StringComparison.Ordinal);
        Assert.True(error.VariableName.Length < 200);
    }

    [Fact]
    public void Pack_FieldOfUnsupportedType_RefusedNamingField()
    {
        var holder = new PatternHolder { Pattern = new Regex("a+") };
        Func<string, bool> f = s => holder.Pattern!.IsMatch(s);

        Refused(f, "holder.Pattern", typeof(Regex));
    }

    [Fact]
    public void Pack_OuterScopeStreamInNestedClosure_RefusedByItsOwnName()
    {
        // Given a lambda in a loop body (its closure refers to the outer scope's closure) reading an outer-scope stream
        using var stream = new FileStream(_path, FileMode.Open);
        var functions = new List<Func<int, long>>();
        for (var i = 0; i < 2; i++)
        {
            var inner = i;
            functions.Add(x => x + inner + stream.Length);
        }

        // Then the refusal names the variable as written, not the compiler's link between the scopes
        Refused(functions[1], "stream", typeof(FileStream));
    }

    [Fact]
    public void Pack_ParmapWrapperAroundUserFunctionWithStream_RefusedNamingStream()
    {
        using var stream = new FileStream(_path, FileMode.Open);
        Func<int, long> user = x => x + stream.Length;
        var wrapper = Parmap.Executors.WorkFunction<int, long>.From(user).Sync!;

        var error = Refused(wrapper, "stream", typeof(FileStream));

        Assert.NotNull(error.Via);
    }

    [Fact]
    public void Pack_CapturedLazyQuery_RefusedWithToArrayAdvice()
    {
        var evens = Enumerable.Range(0, 10).Where(x => x % 2 == 0);
        Func<int, int> f = x => x + evens.Count();

        var error = Assert.Throws<UnshippableFunctionException>(() => FunctionPacker.Pack(f));

        Assert.Equal("evens", error.VariableName);
        Assert.Contains(".ToArray()", error.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_StreamInsideCollection_RefusedNamingElement()
    {
        using var stream = new FileStream(_path, FileMode.Open);
        var items = new List<object> { 1, stream };
        var byName = new Dictionary<string, object> { ["log"] = stream };
        Func<int, int> f = x => x + items.Count;
        Func<int, int> g = x => x + byName.Count;

        Refused(f, "items[1]", typeof(FileStream));
        Refused(g, "byName[\"log\"]", typeof(FileStream));
    }

    [Fact]
    public void Pack_CapturedDelegateCapturingStream_RefusedNamingBoth()
    {
        // Given a captured delegate made in another scope, which captures a stream
        using var stream = new FileStream(_path, FileMode.Open);
        var length = LengthOf(stream);
        Func<int, long> f = x => x + length();

        // When the function is packed, then the refusal names the stream and the delegate it was reached through
        var error = Refused(f, "stream", typeof(FileStream));
        Assert.Equal(
            "The function captures the delegate 'length', which captures 'stream' (System.IO.FileStream); 'stream' cannot be sent to a "
            + "worker process: streams hold OS handles. Open the stream inside the function instead, or run on threads (ExecutorOptions.Threads).",
            error.Message);
    }

    [Fact]
    public void Pack_SiblingLambdaReadsStream_RefusedNamingStream()
    {
        // Given a function calling a sibling lambda of the same scope, which reads a stream (they share one closure)
        using var stream = new FileStream(_path, FileMode.Open);
        Func<long> length = () => stream.Length;
        Func<int, long> f = x => x + length();

        // Then the stream is refused by name
        Refused(f, "stream", typeof(FileStream));
    }

    [Fact]
    public void Pack_MethodGroupOnStream_RefusedAsThis()
    {
        using var stream = new FileStream(_path, FileMode.Open);
        Func<int> f = stream.ReadByte;

        Refused(f, "this", typeof(FileStream));
    }

    private static Func<long> LengthOf(Stream stream) => () => stream.Length;
}
