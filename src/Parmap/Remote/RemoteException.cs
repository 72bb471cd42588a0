namespace Parmap;

/// <summary>
/// An exception thrown by the function in a worker process whose type could not be rebuilt in the owner (it has no
/// public (string, Exception) constructor). Carries the worker's exception type name, message and stack trace.
/// </summary>
public sealed class RemoteException : ParmapException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="remoteType">Assembly-qualified name of the exception type thrown in the worker.</param>
    /// <param name="message">Its message.</param>
    /// <param name="remoteStackTrace">Its stack trace in the worker.</param>
    /// <param name="innerException">Its inner exception, rebuilt.</param>
    public RemoteException(string remoteType, string message, string? remoteStackTrace, Exception? innerException)
        : base($"{ShortName(remoteType)}: {message}", innerException)
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>Assembly-qualified name of the exception type thrown in the worker.</summary>
    public string RemoteType { get; }

    /// <summary>The stack trace in the worker, or <see langword="null"/>.</summary>
    public string? RemoteStackTrace { get; }

    private static string ShortName(string typeName)
    {
        var depth = 0;
        for (var i = 0; i < typeName.Length; i++)
        {
            switch (typeName[i])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case ',' when depth == 0:
                    return typeName[..i];
            }
        }
        return typeName;
    }
}
