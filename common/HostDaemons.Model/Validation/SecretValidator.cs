using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' Secret defaults (core/v1) and validation (ValidateSecret), with its messages.</summary>
public static partial class SecretValidator
{
    /// <summary>What Kubernetes prints in place of a secret's content in an error.</summary>
    public const string RedactedValue = "<secret contents redacted>";

    public const string ConfigKeyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    /// <summary>
    /// The type defaults to Opaque, and <c>stringData</c> is merged into <c>data</c> (its values winning) and cleared,
    /// as the API server converts it: it is write-only and never stored.
    /// </summary>
    public static void ApplyDefaults(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ObjectValidator.ApplyTypeDefaults(secret);
        if (secret.Type.Length == 0)
        {
            secret.Type = SecretTypes.Opaque;
        }

        foreach (var (key, value) in secret.StringData)
        {
            secret.Data[key] = Google.Protobuf.ByteString.CopyFrom(value, Encoding.UTF8);
        }

        secret.StringData.Clear();
    }

    public static ValidationErrors Validate(Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(secret.Metadata, namespaced: true, "metadata", errors);

        ValidateConfigKeys(secret.Data.Keys, "data", errors);
        var total = secret.Data.Values.Sum(v => (long)v.Length);

        if (total > SecretTypes.MaxSize)
        {
            errors.Add(new FieldError("data", FieldErrorType.TooLong, string.Create(CultureInfo.InvariantCulture, $"may not be more than {SecretTypes.MaxSize} bytes")));
        }

        switch (secret.Type)
        {
            case SecretTypes.DockerConfigJson:
                ValidateDockerConfig(secret, SecretTypes.DockerConfigJsonKey, wrapped: true, errors);
                break;
            case SecretTypes.DockerCfg:
                ValidateDockerConfig(secret, SecretTypes.DockerCfgKey, wrapped: false, errors);
                break;
            case "kubernetes.io/basic-auth":
                if (!secret.Data.ContainsKey("username") && !secret.Data.ContainsKey("password"))
                {
                    errors.Required("data[username]");
                    errors.Required("data[password]");
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (!secret.Data.TryGetValue("ssh-privatekey", out var sshKey) || sshKey.IsEmpty)
                {
                    errors.Required("data[ssh-privatekey]");
                }

                break;
            case "kubernetes.io/tls":
                foreach (var key in (string[])["tls.crt", "tls.key"])
                {
                    if (!secret.Data.ContainsKey(key))
                    {
                        errors.Required($"data[{key}]");
                    }
                }

                break;
        }

        return errors;
    }

    /// <summary>Kubernetes' checks on update: a secret's type never changes, nor the data of an immutable one.</summary>
    public static ValidationErrors ValidateUpdate(Secret updated, Secret existing)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(existing);
        var errors = new ValidationErrors();
        if (updated.Type != existing.Type)
        {
            errors.Invalid("type", updated.Type, "field is immutable");
        }

        errors.AddRange(ImmutableData.Check(existing.Immutable, updated.Immutable, ("data", updated.Data.Equals(existing.Data))));
        return errors;
    }

    /// <summary>Each key of a data map (<c>data</c>, <c>binaryData</c>) must be a config key: <c>data[KEY]: Invalid value</c>.</summary>
    internal static void ValidateConfigKeys(IEnumerable<string> keys, string field, ValidationErrors errors)
    {
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            foreach (var problem in CheckConfigKey(key))
            {
                errors.Invalid($"{field}[{key}]", key, problem);
            }
        }
    }

    /// <summary>Kubernetes' IsConfigMapKey: the reasons a data key is invalid.</summary>
    public static IEnumerable<string> CheckConfigKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > 253)
        {
            yield return "must be no more than 253 characters";
        }

        if (!ConfigKey().IsMatch(key))
        {
            yield return ConfigKeyMessage;
        }

        if (key == ".")
        {
            yield return "must not be '.'";
        }
        else if (key == "..")
        {
            yield return "must not be '..'";
        }
        else if (key.StartsWith("..", StringComparison.Ordinal))
        {
            yield return "must not start with '..'";
        }
    }

    private static void ValidateDockerConfig(Secret secret, string key, bool wrapped, ValidationErrors errors)
    {
        var path = $"data[{key}]";
        if (!secret.Data.TryGetValue(key, out var content))
        {
            errors.Required(path);
            return;
        }

        if (DockerConfigJson.Check(content.Memory, wrapped) is { } problem)
        {
            errors.Invalid(path, RedactedValue, problem);
        }
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigKey();
}
