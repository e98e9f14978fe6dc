using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HostDaemons.Model.Security;

namespace HostDaemons.ControlPlane.ServiceAccounts;

/// <summary>
/// The key service account tokens are signed with: ES256 (P-256), created 0600 as <c>--data-dir/pki/sa.key</c> on first
/// start and kept across restarts (a new key would end every token out there), or read from
/// <c>--service-account-signing-key-file</c>. Its key id is Kubernetes': the base64url SHA-256 of the DER public key.
/// </summary>
internal sealed class ServiceAccountSigningKey : IDisposable
{
    private ServiceAccountSigningKey(ECDsa key)
    {
        Key = key;
        var parameters = key.ExportParameters(includePrivateParameters: false);
        X = parameters.Q.X!;
        Y = parameters.Q.Y!;
        KeyId = Base64Url.EncodeToString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    private byte[] X { get; }

    private byte[] Y { get; }

    /// <summary>A new key, in memory only (tests).</summary>
    public static ServiceAccountSigningKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>The key at <paramref name="configuredFile"/> when set, else <c>DATA-DIR/pki/sa.key</c>, created when missing.</summary>
    public static ServiceAccountSigningKey Open(string configuredFile, string dataDir)
    {
        var file = configuredFile.Length > 0 ? configuredFile : Path.Combine(dataDir, "pki", "sa.key");
        try
        {
            if (configuredFile.Length == 0 && !File.Exists(file))
            {
                CredentialFiles.EnsurePrivateDirectory(Path.GetDirectoryName(file)!);
                var created = Create();
                CredentialFiles.WritePrivate(file, created.Key.ExportPkcs8PrivateKeyPem());
                return created;
            }

            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(file));
            if (key.KeySize != 256)
            {
                throw new ServiceAccountKeyException($"the service account signing key {file} must be an ECDSA P-256 key (ES256), not {key.KeySize} bits");
            }

            return new ServiceAccountSigningKey(key);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ServiceAccountKeyException($"cannot use the service account signing key {file}: {ex.Message}", ex);
        }
    }

    /// <summary>The public key as a JSON Web Key, as <c>/openid/v1/jwks</c> lists it.</summary>
    public JsonObject Jwk() => new()
    {
        ["use"] = "sig",
        ["kty"] = "EC",
        ["kid"] = KeyId,
        ["crv"] = "P-256",
        ["alg"] = "ES256",
        ["x"] = Base64Url.EncodeToString(X),
        ["y"] = Base64Url.EncodeToString(Y),
    };

    public void Dispose() => Key.Dispose();
}

internal sealed class ServiceAccountKeyException(string message, Exception? inner = null) : Exception(message, inner);
