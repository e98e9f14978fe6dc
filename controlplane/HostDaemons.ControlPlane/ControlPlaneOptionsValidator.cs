using HostDaemons.ControlPlane.Security;
using HostDaemons.Model.PodSecurity;
using HostDaemons.Model.Validation;
using Microsoft.Extensions.Options;

namespace HostDaemons.ControlPlane;

[OptionsValidator]
internal sealed partial class ControlPlaneOptionsValidator : IValidateOptions<ControlPlaneOptions>
{
}

/// <summary>The rules attributes cannot state: the listen URL (plaintext only on loopback), the CA file pair, the SANs, the heartbeat fitting in the lease, the default Pod Security level, tokens only over TLS, and an audit log directory that exists.</summary>
internal sealed class ControlPlaneOptionsCrossValidator : IValidateOptions<ControlPlaneOptions>
{
    public ValidateOptionsResult Validate(string? name, ControlPlaneOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (!ListenEndpoint.TryParse(options.Listen, out _, out var listenError))
        {
            result.AddError(listenError, "listen");
        }

        if ((options.CaFile.Length > 0) != (options.CaKeyFile.Length > 0))
        {
            result.AddError("--ca-file and --ca-key-file go together: the CA's certificate and its private key", options.CaFile.Length > 0 ? "ca-key-file" : "ca-file");
        }

        foreach (var san in ServingNames.SplitSans(options.TlsSan))
        {
            if (!System.Net.IPAddress.TryParse(san, out _) && !NameValidation.IsDns1123Subdomain(san.ToLowerInvariant()))
            {
                result.AddError($"\"{san}\" is neither an IP address nor a DNS name", "tls-san");
            }
        }

        if (options.HeartbeatInterval * 2 > options.NodeLeaseDuration)
        {
            result.AddError($"must be at most half the node lease duration ({options.NodeLeaseDuration})", "heartbeat-interval");
        }

        if (!PodSecurityLevels.TryParse(options.DefaultPodSecurity, out _))
        {
            result.AddError($"\"{options.DefaultPodSecurity}\": {PodSecurityLevels.InvalidLevel}", "default-pod-security");
        }

        if (options.TokenAuthFile.Length > 0 && ListenEndpoint.TryParse(options.Listen, out var endpoint, out _) && !endpoint.IsTls)
        {
            result.AddError("bearer tokens are only accepted over TLS: use --listen https://...", "token-auth-file");
        }

        if (options.AuditLogPath is { Length: > 0 } auditPath && auditPath != "-" && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(auditPath))))
        {
            result.AddError($"the directory of {auditPath} does not exist", "audit-log-path");
        }

        return result.Build();
    }
}
