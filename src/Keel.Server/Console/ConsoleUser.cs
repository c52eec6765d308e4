using Keel.Server.Access;
using Microsoft.AspNetCore.Http;

namespace Keel.Server.Console;

/// <summary>The signed-in operator of a console request.</summary>
internal static class ConsoleUser
{
    /// <summary>The caller the session set (<see cref="ConsoleSession"/>), or <see langword="null"/> on the sign-in page.</summary>
    public static Caller? Of(HttpContext context) => Caller.Find(context);
}
