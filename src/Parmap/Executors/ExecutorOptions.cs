using Parmap.Executors;

namespace Parmap;

/// <summary>
/// Where a map runs its items: a value in <see cref="ParOptions.Executor"/>. Each kind of executor has its own options
/// record carrying its own settings (<see cref="ThreadOptions"/>, <see cref="ProcessOptions"/>, the cluster's options in
/// Parmap.Cluster), and creates its executor.
/// </summary>
/// <remarks>
/// <para>One-liners: <c>new ParOptions { Executor = ExecutorOptions.Processes }</c>, or with settings
/// <c>new ParOptions { Executor = new ProcessOptions { ItemTimeout = TimeSpan.FromMinutes(2) } }</c>.</para>
/// <para>To add an executor, derive a record from this one (see <see cref="IExecutor"/>).</para>
/// </remarks>
public abstract record ExecutorOptions
{
    /// <summary>Dedicated threads of this process (the default executor).</summary>
    public static ThreadOptions Threads => ThreadOptions.Default;

    /// <summary>Worker processes with their default settings.</summary>
    public static ProcessOptions Processes => ProcessOptions.Default;

    /// <summary>A short name for reports and messages, e.g. <c>threads</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// True when items run in this process and share its memory, so inputs are passed as they are. The default is
    /// <see langword="false"/>: inputs and results travel as data (grids then send point numbers, not points).
    /// </summary>
    public virtual bool InProcess => false;

    /// <summary>
    /// How many workers this executor has when the map does not set <see cref="ParOptions.Workers"/>, if it knows better
    /// than this machine's core count (a cluster: the cores of the nodes that have joined); <see langword="null"/> (the
    /// default) means one per core of this machine. <c>Par.Advise</c> predicts with it.
    /// </summary>
    public virtual int? DefaultWorkers => null;

    /// <summary>Creates an executor with <paramref name="workers"/> workers; the map that asked disposes it.</summary>
    /// <param name="workers">How many workers the map wants (at least 1).</param>
    public abstract IExecutor CreateExecutor(int workers);

    /// <summary>The options of the executor a <see cref="Pool"/> keeps: the pool owns its workers (and stops them when disposed).</summary>
    internal virtual ExecutorOptions ForPool() => this;

    /// <summary>Checks the settings; throws an <see cref="ArgumentException"/> that names the first bad one.</summary>
    public virtual void Validate()
    {
    }
}
