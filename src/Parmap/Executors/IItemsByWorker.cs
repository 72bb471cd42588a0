namespace Parmap.Executors;

/// <summary>
/// Optional part of an <see cref="IExecutor"/> whose workers are worth naming in the run report (the nodes of a
/// cluster): how many items each ran in this map. The report then lists them (<see cref="RunReport.ItemsByWorker"/>).
/// </summary>
public interface IItemsByWorker
{
    /// <summary>Items run by each worker in this map, by the worker's name.</summary>
    IReadOnlyDictionary<string, long> ItemsByWorker { get; }
}
