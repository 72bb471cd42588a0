namespace Parmap.Cluster;

// The messages between the driver and its nodes. They travel with ParmapSerializer (MessagePack); inputs, results and
// functions inside them are the shared remote layer's bytes (BatchCodec, FunctionPacker), never JSON.

/// <summary>Node to driver, on joining: which build it runs and how many batches it takes at once.</summary>
internal sealed record NodeHello(string BuildId, string EntryName, int Cores, int Pid, string Host);

/// <summary>Driver to node: accepted as node <paramref name="NodeId"/>.</summary>
internal sealed record NodeWelcome(int NodeId);

/// <summary>Driver to node: refused (another build); the node prints the message and exits.</summary>
internal sealed record NodeRefused(string Message);

/// <summary>Driver to node: the function of later batches (<see cref="Parmap.Shipping.FunctionPacker"/>'s payload).</summary>
internal sealed record OpenFunction(int FunctionId, int Shape, byte[] Payload);

/// <summary>Driver to node: run <paramref name="Count"/> inputs (<see cref="Parmap.Remote.BatchCodec{TIn, TOut}"/>'s bytes) with the function.</summary>
internal sealed record RunBatch(long BatchId, int FunctionId, int Count, byte[] Inputs);

/// <summary>Driver to node: stop the batch after its running items (the map was cancelled).</summary>
internal sealed record CancelBatch(long BatchId);

/// <summary>Node to driver: the outcomes of a batch (BatchCodec's bytes), or why its function could not be opened there.</summary>
internal sealed record BatchDone(long BatchId, byte[] Results, long ItemTicks, string? OpenError);
