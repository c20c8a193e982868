using System.Reflection;
using Xunit.Sdk;

namespace Vtls.Conformance.Xunit;

/// <summary>
/// The rows of <see cref="TlsBackendConformanceTests"/>: catalogue x peers x roles x protocols for the subclass's
/// transport. It makes one instance of the test class to read its peers and transport, so a subclass needs nothing
/// but its factory.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ConformanceCasesAttribute : DataAttribute
{
    /// <inheritdoc/>
    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        var type = testMethod.ReflectedType
            ?? throw new InvalidOperationException("The conformance theory has no test class.");
        if (type.IsAbstract || !typeof(TlsBackendConformanceTests).IsAssignableFrom(type))
        {
            return [];
        }

        var suite = (TlsBackendConformanceTests)Activator.CreateInstance(type)!;
        return suite.Cases();
    }
}
