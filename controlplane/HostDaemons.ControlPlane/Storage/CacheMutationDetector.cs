using HostDaemons.Model.Objects;

namespace HostDaemons.ControlPlane.Storage;

/// <summary>
/// Turns "never change a cached object in place" from a comment into a check, as Kubernetes' cache mutation detector
/// does: a pristine copy of every object the cache hands out is kept, and the object is compared with it when the
/// cache lets it go (replaced or removed) and on <see cref="VerifyUnchanged"/>. A difference is a reader's bug; the
/// store's writer stops on it. On in Debug builds, in the unit tests, and under <see cref="EnvironmentVariable"/>;
/// off in production, where it would double the cache's memory.
/// </summary>
internal sealed class CacheMutationDetector
{
    public const string EnvironmentVariable = "HOSTDAEMONS_DETECT_CACHE_MUTATIONS";

    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, (IKubeObject Handed, IKubeObject Pristine)> _copies = [];

#if DEBUG
    public static bool EnabledByDefault => true;
#else
    public static bool EnabledByDefault => Environment.GetEnvironmentVariable(EnvironmentVariable) is "1" or "true";
#endif

    public void Added(ObjectKey key, IKubeObject value)
    {
        lock (_lock)
        {
            _copies[key] = (value, value.CloneObject());
        }
    }

    /// <summary>The object under <paramref name="key"/> leaves the cache: it must be as it came in.</summary>
    public void Leaving(ObjectKey key)
    {
        lock (_lock)
        {
            if (_copies.Remove(key, out var copy))
            {
                Check(key, copy.Handed, copy.Pristine);
            }
        }
    }

    public void VerifyUnchanged()
    {
        lock (_lock)
        {
            foreach (var (key, (handed, pristine)) in _copies)
            {
                Check(key, handed, pristine);
            }
        }
    }

    private static void Check(ObjectKey key, IKubeObject handed, IKubeObject pristine)
    {
        if (!handed.Equals(pristine))
        {
            throw new CachedObjectMutatedException(key);
        }
    }
}

/// <summary>A cached object was changed in place: a bug in whoever read it from the store.</summary>
internal sealed class CachedObjectMutatedException(ObjectKey key)
    : Exception($"the cached object {key} was changed in place after the store handed it out (clone it, change the copy, and write)");
