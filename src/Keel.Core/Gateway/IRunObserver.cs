using Keel.Model;

namespace Keel.Gateway;

/// <summary>Receives every event appended to one run, in sequence order (monitors use it).</summary>
public interface IRunObserver
{
    /// <summary>Called after an event is appended.</summary>
    /// <param name="runEvent">The stored event.</param>
    void Observe(RunEvent runEvent);
}
