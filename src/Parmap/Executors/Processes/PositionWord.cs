using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Parmap.Executors.Processes;

/// <summary>
/// Sixteen bytes of memory shared by the owner and one worker process (a mapped file, in /dev/shm where there is one):
/// the worker writes which batch it runs and where it is in it before and after every item; after the worker died, the
/// owner reads there which item was running, so that only that item fails and no other one runs twice. Plain memory
/// writes, a nanosecond each; the memory outlives the process that wrote it.
/// </summary>
/// <remarks>State: 2p + 1 while the item at position p runs, 2p after positions [0, p) finished (between items), -1 before the first.</remarks>
internal sealed class PositionWord : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly nint _address;

    private PositionWord(string path, FileMode mode)
    {
        _file = MemoryMappedFile.CreateFromFile(path, mode, null, 16, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, 16);
        _address = _view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)_view.PointerOffset;
    }

    public string Path { get; private init; } = "";

    /// <summary>The owner's side: a fresh word in a file of its own (the worker opens it by path; <see cref="Unlink"/> once it has).</summary>
    public static PositionWord? Create(int workerId)
    {
        var directory = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        var path = System.IO.Path.Combine(directory, $"parmap-{Environment.ProcessId}-{workerId}-{Guid.NewGuid():N}");
        try
        {
            return new PositionWord(path, FileMode.CreateNew) { Path = path };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No shared memory here: crashes fall back to re-running the batch to find the item.
            return null;
        }
    }

    /// <summary>The worker's side: the word the owner created; null when it cannot be opened.</summary>
    public static PositionWord? Open(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        try
        {
            return new PositionWord(path, FileMode.Open) { Path = path };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the file: both processes keep the mapping, and nothing is left behind when they end.</summary>
    public void Unlink()
    {
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A batch starts: its id, and no item yet.</summary>
    public void Begin(long batchId)
    {
        Marshal.WriteInt64(_address, 8, -1);
        Marshal.WriteInt64(_address, 0, batchId);
    }

    public void Write(long state) => Marshal.WriteInt64(_address, 8, state);

    public (long BatchId, long State) Read() => (Marshal.ReadInt64(_address, 0), Marshal.ReadInt64(_address, 8));

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
