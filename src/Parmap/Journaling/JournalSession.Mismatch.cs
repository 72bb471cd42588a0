using System.Globalization;

namespace Parmap.Journaling;

// What the mismatch messages say: what changed since the journal was written, and how to proceed.
internal sealed partial class JournalSession<TIn, TOut>
{
    private static string FunctionChange(GenerationRow current, string functionId, string functionName) =>
        current.OutputType != typeof(TOut).FullName
            ? $"- The function's result type changed: recorded {current.OutputType}, now {typeof(TOut).FullName}."
            : $"- The function changed (its code, code it calls in its assembly, a value it captured, or a setting it reads: a static readonly field): recorded {current.FunctionName} [{current.FunctionId[..12]}], now {functionName} [{functionId[..12]}].";

    private string MismatchMessage(GenerationRow current, string functionId, string functionName, bool functionChanged, bool countChanged,
        List<StoredEntry> entries, List<StoredFailure> failures, long matching, long reuseAll)
    {
        var recorded = entries.Count + failures.Count;
        var lines = new List<string> { $"The journal '{Path}' was written for {(functionChanged ? "another function" : "other inputs")}; nothing was run and the journal was not changed." };
        if (functionChanged)
        {
            lines.Add(FunctionChange(current, functionId, functionName));
        }
        if (countChanged)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"- The number of inputs changed: recorded {current.Total:N0}, now {_inputs!.Count:N0}."));
        }
        var moved = entries.Where(e => !MatchesPosition(e.Index, e.Key)).Select(e => (e.Index, Input: e.Input)).Concat(
            failures.Where(f => !MatchesPosition(f.Index, f.Key)).Select(f => (f.Index, Input: (ReadOnlyMemory<byte>)f.Input))).OrderBy(x => x.Index).ToList();
        if (moved.Count > 0)
        {
            var (index, input) = moved[0];
            var now = index < _inputs!.Count ? ItemFailedException.Quote(_inputs[(int)index]) : "(no input: the list is shorter)";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"- {moved.Count:N0} of {recorded:N0} recorded items have another input at their position now (first: index {index}, recorded input {JournalCodec.ToText(input)}, now {now})."));
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{matching:N0} of {recorded:N0} recorded items still match an input and the function."));
        lines.Add("To proceed:");
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"- ParOptions.JournalMismatch = JournalMismatch.ReuseMatching reuses the {matching:N0} matching items and computes the rest (the journal keeps the old records too);"));
        if (functionChanged)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"- JournalMismatch.ReuseMatchingInputs also reuses results of the old function ({reuseAll:N0} items): only if the change cannot alter results;"));
        }
        lines.Add("- or start over with another journal path (or delete the file and its -wal, -shm and -lock files).");
        return string.Join(Environment.NewLine, lines);
    }
}
