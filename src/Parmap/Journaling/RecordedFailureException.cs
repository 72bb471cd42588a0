namespace Parmap;

/// <summary>
/// The failure of an item as recorded in the journal by an earlier run (the original exception object is gone):
/// the <see cref="Exception.InnerException"/> of the <see cref="ItemFailedException"/> of an item that failed before and was not run again
/// (see <see cref="ParOptions.RetryFailedOnResume"/>).
/// </summary>
public sealed class RecordedFailureException : ParmapException
{
    /// <summary>Creates the exception from the recorded error.</summary>
    public RecordedFailureException(string errorType, string errorMessage, string details)
        : base($"{errorType}: {errorMessage} (recorded in the journal by an earlier run; set ParOptions.RetryFailedOnResume = true to run the item again)")
    {
        ErrorType = errorType;
        ErrorMessage = errorMessage;
        Details = details;
    }

    /// <summary>Full name of the original exception's type.</summary>
    public string ErrorType { get; }

    /// <summary>The original exception's message.</summary>
    public string ErrorMessage { get; }

    /// <summary>The original exception as text, with its stack trace.</summary>
    public string Details { get; }
}
