using System.Globalization;
using HostDaemons.Model.Objects;
using HostDaemons.Model.V1;

namespace HostDaemons.Model.Validation;

/// <summary>Kubernetes' ValidateConfigMap and ValidateConfigMapUpdate, with their messages.</summary>
public static class ConfigMapValidator
{
    /// <summary>The largest total size of a ConfigMap's data and binary data, as Kubernetes limits it (a Secret's limit).</summary>
    public const int MaxSize = SecretTypes.MaxSize;

    /// <summary>
    /// Keys are config keys (<see cref="SecretValidator.CheckConfigKey"/>), a key is in <c>data</c> or in <c>binaryData</c>
    /// but not both, and all values together hold at most 1 MiB (an error about the whole object: <c>[]</c>).
    /// </summary>
    public static ValidationErrors Validate(ConfigMap value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var errors = new ValidationErrors();
        ObjectMetaValidator.Validate(value.Metadata, namespaced: true, "metadata", errors);
        SecretValidator.ValidateConfigKeys(value.Data.Keys, "data", errors);
        foreach (var key in value.Data.Keys.Where(value.BinaryData.ContainsKey).Order(StringComparer.Ordinal))
        {
            errors.Invalid($"data[{key}]", key, "duplicate of key present in binaryData");
        }

        SecretValidator.ValidateConfigKeys(value.BinaryData.Keys, "binaryData", errors);
        var total = value.Data.Values.Sum(d => (long)System.Text.Encoding.UTF8.GetByteCount(d)) + value.BinaryData.Values.Sum(d => (long)d.Length);

        if (total > MaxSize)
        {
            errors.Add(new FieldError("[]", FieldErrorType.TooLong, string.Create(CultureInfo.InvariantCulture, $"must have at most {MaxSize} bytes")));
        }

        return errors;
    }

    /// <summary>An immutable ConfigMap keeps its data and binary data, and stays immutable.</summary>
    public static ValidationErrors ValidateUpdate(ConfigMap updated, ConfigMap existing)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(existing);
        return ImmutableData.Check(existing.Immutable, updated.Immutable,
            ("data", updated.Data.Equals(existing.Data)), ("binaryData", updated.BinaryData.Equals(existing.BinaryData)));
    }
}
