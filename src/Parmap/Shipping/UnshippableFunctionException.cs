// TEMPORARY: replaced by the ship branch at merge
namespace Parmap;

/// <summary>The function (or something it captured) cannot be sent to a worker process. Thrown before any worker starts.</summary>
public sealed class UnshippableFunctionException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be shipped and what to do instead.</param>
    public UnshippableFunctionException(string message)
        : base(message)
    {
    }
}