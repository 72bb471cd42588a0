namespace Parmap.Tests.Journaling;

/// <summary>A fresh directory for journal files, deleted afterwards.</summary>
internal sealed class TempJournal : IDisposable
{
    public TempJournal()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("parmap-journal-").FullName;
        Path = System.IO.Path.Combine(Directory, "run.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public ParOptions Options(int workers = 2) => new() { Journal = Path, Workers = workers };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
