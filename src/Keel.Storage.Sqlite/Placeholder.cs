namespace Keel.Storage.Sqlite; internal static class Placeholder { }
