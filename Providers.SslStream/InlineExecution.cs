namespace Vtls.Providers.SslStream;

/// <summary>
/// Runs a filter step so that SslStream's continuations, resumed by <see cref="MemoryBioStream.Feed"/>, run
/// inline on the calling thread.
/// </summary>
/// <remarks>
/// The runtime runs an awaiting continuation inline only where the completing thread has no custom
/// <see cref="SynchronizationContext"/> and its current <see cref="TaskScheduler"/> is the default one;
/// anywhere else (a UI thread, a test runner's context, a task on an exclusive scheduler) it queues the
/// continuation, and SslStream would then advance on another thread after our call returned would-block,
/// with nobody left to notice. So each step clears the context and, when needed, runs under the default
/// scheduler. This never blocks: the step runs synchronously on the caller's thread either way.
/// </remarks>
internal static class InlineExecution
{
    public static T Run<T>(Func<T> step)
    {
        var context = SynchronizationContext.Current;
        bool foreignScheduler = TaskScheduler.Current != TaskScheduler.Default;
        if (context is null && !foreignScheduler)
        {
            return step();
        }

        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            if (!foreignScheduler)
            {
                return step();
            }

            // RunSynchronously on the default scheduler executes on this thread, with that scheduler current.
            var task = new Task<T>(step);
            task.RunSynchronously(TaskScheduler.Default);
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public static void Run(Action step) => Run(() =>
    {
        step();
        return true;
    });
}
