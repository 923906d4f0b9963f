namespace ServerlessWorkflow.Functions.Hosting.Invocations;

/// <summary>The host sent a body this handler cannot read. The invocation answers 400 and the host records the failure.</summary>
public sealed class InvocationFormatException : Exception
{
    public InvocationFormatException()
    {
    }

    public InvocationFormatException(string message)
        : base(message)
    {
    }

    public InvocationFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
