using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vtls.Conformance.Xunit;

/// <summary>One data row of a <see cref="ConformanceTheoryAttribute"/> theory; reports skips as skipped.</summary>
public sealed class SkippableTestCase : XunitTestCase
{
    /// <summary>For the de-serializer only.</summary>
    [Obsolete("Called by the de-serializer only.")]
    public SkippableTestCase()
    {
    }

    /// <summary>Creates a test case for one data row.</summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostics.</param>
    /// <param name="defaultMethodDisplay">How to name the test.</param>
    /// <param name="defaultMethodDisplayOptions">Naming options.</param>
    /// <param name="testMethod">The method.</param>
    /// <param name="testMethodArguments">The row.</param>
    public SkippableTestCase(
        IMessageSink diagnosticMessageSink,
        TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions,
        ITestMethod testMethod,
        object[]? testMethodArguments = null)
        : base(
            diagnosticMessageSink,
            defaultMethodDisplay,
            defaultMethodDisplayOptions,
            testMethod,
            testMethodArguments)
    {
    }

    /// <inheritdoc/>
    public override async Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        object[] constructorArguments,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkipReportingMessageBus(messageBus);
        var summary = await base.RunAsync(
            diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        return bus.Adjust(summary);
    }
}

/// <summary>
/// A whole theory as one case (when rows cannot be enumerated at discovery); reports skips as skipped.
/// </summary>
public sealed class SkippableTheoryTestCase : XunitTheoryTestCase
{
    /// <summary>For the de-serializer only.</summary>
    [Obsolete("Called by the de-serializer only.")]
    public SkippableTheoryTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostics.</param>
    /// <param name="defaultMethodDisplay">How to name the test.</param>
    /// <param name="defaultMethodDisplayOptions">Naming options.</param>
    /// <param name="testMethod">The method.</param>
    public SkippableTheoryTestCase(
        IMessageSink diagnosticMessageSink,
        TestMethodDisplay defaultMethodDisplay,
        TestMethodDisplayOptions defaultMethodDisplayOptions,
        ITestMethod testMethod)
        : base(diagnosticMessageSink, defaultMethodDisplay, defaultMethodDisplayOptions, testMethod)
    {
    }

    /// <inheritdoc/>
    public override async Task<RunSummary> RunAsync(
        IMessageSink diagnosticMessageSink,
        IMessageBus messageBus,
        object[] constructorArguments,
        ExceptionAggregator aggregator,
        CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkipReportingMessageBus(messageBus);
        var summary = await base.RunAsync(
            diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        return bus.Adjust(summary);
    }
}

/// <summary>Turns a failure caused by <see cref="ConformanceSkipException"/> into a skip with its reason.</summary>
internal sealed class SkipReportingMessageBus : IMessageBus
{
    private readonly IMessageBus _inner;
    private int _skipped;

    public SkipReportingMessageBus(IMessageBus inner) => _inner = inner;

    public bool QueueMessage(IMessageSinkMessage message)
    {
        if (message is ITestFailed failed
            && failed.ExceptionTypes.FirstOrDefault() == typeof(ConformanceSkipException).FullName)
        {
            Interlocked.Increment(ref _skipped);
            return _inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
        }

        return _inner.QueueMessage(message);
    }

    public RunSummary Adjust(RunSummary summary)
    {
        summary.Failed -= _skipped;
        summary.Skipped += _skipped;
        return summary;
    }

    // The inner bus belongs to xunit.
    public void Dispose()
    {
    }
}
