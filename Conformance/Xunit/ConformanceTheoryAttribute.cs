using Xunit;
using Xunit.Sdk;

namespace Vtls.Conformance.Xunit;

/// <summary>
/// A theory whose cases can end as skipped at run time: a case that throws <see cref="ConformanceSkipException"/> is
/// reported as skipped with the exception's message. xunit 2 has no dynamic skip of its own; this is the honest
/// substitute (a skipped run never shows as passed).
/// </summary>
[XunitTestCaseDiscoverer("Vtls.Conformance.Xunit.ConformanceTheoryDiscoverer", "Vtls.Conformance")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
}
