namespace Parmap.Cli;

/// <summary>A mistake in the command line, found before anything runs: <c>parmap</c> prints its message as one line and exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
