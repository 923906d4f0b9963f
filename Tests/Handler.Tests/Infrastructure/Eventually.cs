namespace ServerlessWorkflow.Tests.Infrastructure;

/// <summary>Waiting for something asynchronous to become true, with a generous timeout (never a timing assertion).</summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(25);
        }

        return true;
    }
}
