using HostDaemons.ControlPlane.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HostDaemons.ControlPlane.Tests.TestServices;

/// <summary>
/// An <see cref="ObjectStore"/> over an <see cref="InMemoryStorageBackend"/> and a fake clock, with the cache mutation
/// detector on: every test on a store (the store's, the controllers', the APIs') fails when code under test changes a
/// cached object in place, at the write that replaces it or at the end of the test.
/// </summary>
internal sealed class StoreHarness : IAsyncDisposable
{
    public StoreHarness(InMemoryStorageBackend? backend = null)
    {
        Backend = backend ?? new InMemoryStorageBackend();
        Store = new ObjectStore(Backend, Time, Lifetime, NullLogger<ObjectStore>.Instance, detectMutations: true);
    }

    public InMemoryStorageBackend Backend { get; }

    /// <summary>Records the store's request to stop the host (its writer failed).</summary>
    public FakeHostApplicationLifetime Lifetime { get; } = new();

    public FakeTimeProvider Time { get; } = new(TestObjects.Epoch);

    public ObjectStore Store { get; }

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        try
        {
            Store.VerifyNoCachedObjectMutated();
        }
        finally
        {
            await Store.DisposeAsync();
            Lifetime.Dispose();
        }
    }
}
