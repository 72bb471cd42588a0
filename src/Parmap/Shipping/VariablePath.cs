using System.Globalization;
using System.Text;

namespace Parmap.Shipping;

/// <summary>
/// Where the payload writer is in the captured values, as the user would write it: <c>this.settings.Table[3]</c> or
/// <c>lookup["key"]</c>. A refusal names the variable by this path.
/// </summary>
internal sealed class VariablePath
{
    private const int Shown = 8;
    private readonly List<Segment> _segments = [];

    public int Count => _segments.Count;

    /// <summary>Steps into a field or variable.</summary>
    public void Push(string name) => _segments.Add(new Segment(name));

    /// <summary>Steps into an element.</summary>
    public void PushIndex(long index) => _segments.Add(new Segment(null, index));

    /// <summary>Steps into a dictionary value.</summary>
    public void PushKey(string key) => _segments.Add(new Segment(null, 0, key));

    /// <summary>Steps back out of the last <paramref name="steps"/> steps.</summary>
    public void Pop(int steps = 1) => _segments.RemoveRange(_segments.Count - steps, steps);

    /// <summary>The first <paramref name="length"/> steps as text; a path through a deep structure keeps its head and tail.</summary>
    public string Format(int length)
    {
        if (length == 0)
        {
            return "";
        }
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            if (length > 2 * Shown && i == Shown)
            {
                text.Append(".…");
                i = length - Shown;
            }
            var segment = _segments[i];
            if (segment.Name is not null)
            {
                text.Append(i == 0 ? "" : ".").Append(segment.Name);
            }
            else
            {
                text.Append('[').Append(segment.Key ?? segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }
        return text.ToString();
    }

    /// <summary>One step: a field name, an index or a dictionary key.</summary>
    private readonly record struct Segment(string? Name, long Index = 0, string? Key = null);
}
