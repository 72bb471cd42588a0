namespace Parmap.Cli;

/// <summary>A mistake in the command line, found before anything runs: <c>parmap</c> prints its message as one line and exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    /// <summary>The library's argument error as one line: without the BCL's "(Parameter '...')" and "Actual value was ..." parts.</summary>
    public static string OneLine(ArgumentException e)
    {
        var text = e.Message.Split('\n')[0].Trim();
        var parameter = text.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter > 0 ? text[..parameter] : text;
    }
}
