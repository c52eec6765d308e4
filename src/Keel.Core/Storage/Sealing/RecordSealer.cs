using System.Net.Mime;
using System.Text;
using Keel.Approvals;
using Keel.Redaction;

namespace Keel.Storage;

/// <summary>Seals the gateway's records before any backend stores them: approval arguments, plans and reasons, idempotency
/// response bodies and access-log entries pass the <see cref="Redactor"/>, so a raw secret, card number or e-mail address never
/// reaches a file or table of any backend (docs/audit.md). Run events are sealed by <see cref="SealedRun"/>.</summary>
/// <remarks>Thread-safe. With no redactor (<see cref="None"/>) records pass unchanged.</remarks>
/// <param name="redactor">The redactor, or <see langword="null"/> to store records as they are.</param>
public sealed class RecordSealer(Redactor? redactor)
{
    /// <summary>A sealer with every built-in detector (<see cref="Redactor.Default"/>).</summary>
    public static RecordSealer Default { get; } = new(Redactor.Default);

    /// <summary>A sealer that changes nothing.</summary>
    public static RecordSealer None { get; } = new(null);

    /// <summary>The redactor applied, or <see langword="null"/>.</summary>
    public Redactor? Redactor => redactor;

    /// <summary>An approval as stored: its arguments, plan patch and reason redacted (the digest was computed from the raw call
    /// beforehand and stays as it is, so the approval still binds the exact call).</summary>
    /// <param name="approval">The approval.</param>
    /// <returns>The sealed approval.</returns>
    public Approval Seal(Approval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return redactor is null ? approval : approval with
        {
            ArgumentsJson = redactor.RedactJson(approval.ArgumentsJson),
            PlanJson = approval.PlanJson is null ? null : redactor.RedactJson(approval.PlanJson),
            Reason = redactor.Redact(approval.Reason),
        };
    }

    /// <summary>An access-log entry as stored: its path and reason redacted.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The sealed entry.</returns>
    public AccessLogEntry Seal(AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return redactor is null ? entry : entry with { Path = redactor.Redact(entry.Path), Reason = redactor.Redact(entry.Reason) };
    }

    /// <summary>An HTTP answer as an idempotency record stores it: a JSON body redacted value by value (staying valid JSON),
    /// any other text redacted as text; bytes that are not UTF-8 text are kept out (an empty body).</summary>
    /// <param name="response">The answer sent.</param>
    /// <returns>The sealed answer.</returns>
    public StoredResponse SealResponseBody(StoredResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (redactor is null || response.Body.Length == 0)
        {
            return response;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(response.Body);
        }
        catch (DecoderFallbackException)
        {
            return response with { Body = [] };
        }

        var json = response.ContentType is { } type && (type.StartsWith(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            || type.StartsWith(MediaTypeNames.Application.ProblemJson, StringComparison.OrdinalIgnoreCase));
        return response with { Body = Encoding.UTF8.GetBytes(json ? redactor.RedactJson(text) : redactor.Redact(text)) };
    }
}
