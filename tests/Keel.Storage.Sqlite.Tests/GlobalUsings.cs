global using Xunit;
global using Keel.Storage.Conformance.Support;
