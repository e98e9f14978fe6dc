namespace HostDaemons.ControlPlane.Storage;

/// <summary>How a long-lived consumer inside the control plane follows the store's changes.</summary>
internal static partial class StoreFeeds
{
    /// <summary>
    /// Subscribes, then calls <paramref name="relist"/> (so no change between the two is missed) and
    /// <paramref name="handle"/> for each change. A subscription that overflows (<see cref="SubscriptionOverflowException"/>)
    /// is replaced and <paramref name="relist"/> runs again: a level-triggered consumer that fell behind re-lists, it does
    /// not die. Returns when the store closes the feed.
    /// </summary>
    public static async Task FollowAsync(this IObjectStore store, Action relist, Action<StoreEvent> handle, ILogger logger, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var subscription = store.Subscribe();
            relist();
            try
            {
                await foreach (var e in subscription.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    handle(e);
                }

                return;
            }
            catch (SubscriptionOverflowException)
            {
                Log.Relisting(logger, StoreSubscription.Capacity);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 950, Level = LogLevel.Warning, Message = "Fell more than {Capacity} store changes behind; listing everything again")]
        public static partial void Relisting(ILogger logger, int capacity);
    }
}
