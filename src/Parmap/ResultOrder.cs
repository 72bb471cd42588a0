namespace Parmap;

/// <summary>Order in which a stream yields results.</summary>
public enum ResultOrder
{
    /// <summary>In input order: result i is yielded after results 0..i-1.</summary>
    Input,

    /// <summary>As items complete: lowest latency, any order. Each result carries its input index.</summary>
    Completion,
}
