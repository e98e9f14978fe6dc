using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane;

[OptionsValidator]
internal sealed partial class ControlPlaneOptionsValidator : IValidateOptions<ControlPlaneOptions>
{
}

/// <summary>The rules attributes cannot state: the listen URL's shape and the heartbeat fitting in the lease.</summary>
internal sealed class ControlPlaneOptionsCrossValidator : IValidateOptions<ControlPlaneOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlPlaneOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (!Uri.TryCreate(options.Listen, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
        {
            result.AddError($"must be an http://HOST:PORT URL, got \"{options.Listen}\"", "listen");
        }

        if (options.HeartbeatInterval * 2 > options.NodeLeaseDuration)
        {
            result.AddError($"must be at most half the node lease duration ({options.NodeLeaseDuration})", "heartbeat-interval");
        }

        return result.Build();
    }
}
