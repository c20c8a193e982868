namespace Vtls.Conformance.Running;

/// <summary>Thrown by a scenario body when an expectation does not hold.</summary>
internal sealed class ScenarioFailedException(string message) : Exception(message);

/// <summary>Thrown by a scenario body when the run cannot be played; never a pass.</summary>
internal sealed class ScenarioSkippedException(string reason) : Exception(reason);
