using Xunit.Abstractions;
using Xunit.Sdk;

namespace Vtls.Conformance.Xunit;

/// <summary>Discovers <see cref="ConformanceTheoryAttribute"/> cases as skip-aware test cases.</summary>
public sealed class ConformanceTheoryDiscoverer : TheoryDiscoverer
{
    /// <summary>Creates the discoverer (xunit calls this).</summary>
    /// <param name="diagnosticMessageSink">xunit's diagnostics.</param>
    public ConformanceTheoryDiscoverer(IMessageSink diagnosticMessageSink)
        : base(diagnosticMessageSink)
    {
    }

    /// <inheritdoc/>
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions,
        ITestMethod testMethod,
        IAttributeInfo theoryAttribute,
        object[] dataRow) =>
        [
            new SkippableTestCase(
                DiagnosticMessageSink,
                discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod,
                dataRow),
        ];

    /// <inheritdoc/>
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForTheory(
        ITestFrameworkDiscoveryOptions discoveryOptions,
        ITestMethod testMethod,
        IAttributeInfo theoryAttribute) =>
        [
            new SkippableTheoryTestCase(
                DiagnosticMessageSink,
                discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod),
        ];
}
