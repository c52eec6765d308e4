using Microsoft.Extensions.Logging;

namespace Keel.Cli.Output;

/// <summary>A logger factory that writes warnings and errors, one line each, to a writer (stderr): for commands whose stdout
/// carries a protocol. Thread-safe when the writer is (<see cref="Console.Error"/> is).</summary>
/// <param name="writer">Where lines go.</param>
/// <param name="prefix">The start of every line, e.g. <c>keel mcp</c>.</param>
/// <param name="minimum">The least severe level written. The default is <see cref="LogLevel.Warning"/>.</param>
internal sealed class StderrLoggerFactory(TextWriter writer, string prefix, LogLevel minimum = LogLevel.Warning) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(writer, prefix, minimum);

    public void AddProvider(ILoggerProvider provider)
    {
        // Writes to its own writer only.
    }

    public void Dispose()
    {
        // The writer belongs to the caller.
    }

    private sealed class Logger(TextWriter writer, string prefix, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch { LogLevel.Warning => "warning", LogLevel.Error or LogLevel.Critical => "error", _ => "info" };
            var cause = exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})";
            writer.WriteLine($"{prefix}: {level}: {formatter(state, exception)}{cause}");
        }
    }
}
