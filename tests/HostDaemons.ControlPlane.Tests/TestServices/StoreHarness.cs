using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>An <see cref="ObjectStore"/> over an <see cref="InMemoryStorageBackend"/> and a fake clock.</summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public StoreHarness(InMemoryStorageBackend? backend = null)
    {
        Backend = backend ?? new InMemoryStorageBackend();
        Store = new ObjectStore(Backend, Time, NullLogger<ObjectStore>.Instance);
    }

    public InMemoryStorageBackend Backend { get; }

    public FakeTimeProvider Time { get; } = new(TestObjects.Epoch);

    public ObjectStore Store { get; }

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
