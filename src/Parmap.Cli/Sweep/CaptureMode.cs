namespace Parmap.Cli.Sweep;

/// <summary>What an item's standard output becomes in the results (<c>--capture</c>).</summary>
internal enum CaptureMode
{
    /// <summary>The output as text, in a column "stdout".</summary>
    Text,

    /// <summary>The output is one number, in a column "value"; anything else fails the item.</summary>
    Number,

    /// <summary>The output is one JSON object whose fields become columns; anything else fails the item.</summary>
    Json,
}
