using System.Globalization;
using HostDaemons.Model.V1;

namespace HostDaemons.Cli.Printing;

/// <summary>ConfigMaps' and ServiceAccounts' descriptions.</summary>
internal sealed partial class Describer
{
    /// <summary>kubectl's ConfigMapDescriber: each data key, a <c>----</c> line and its value as written; binary data by size; keys sorted.</summary>
    public string ConfigMap(ConfigMap cm, IEnumerable<Event> events)
    {
        var meta = cm.Metadata ?? new ObjectMeta();
        var w = Header(meta);
        w.Write(0, "\nData\n====\n");
        foreach (var (key, value) in cm.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            w.Write(0, $"{key}:\n----\n");
            w.Write(0, $"{value}\n");
        }

        w.Write(0, "\nBinaryData\n====\n");
        foreach (var (key, value) in cm.BinaryData.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            w.Write(0, $"{key}: {value.Length.ToString(CultureInfo.InvariantCulture)} bytes\n");
        }

        w.Write(0, "\n");
        Events(w, About(events, cm));
        return w.ToString();
    }

    /// <summary>
    /// kubectl's ServiceAccountDescriber: image pull, mountable and token secrets (those of type
    /// <c>kubernetes.io/service-account-token</c> annotated with the account's name and uid), a listed secret that does
    /// not exist marked <c>(not found)</c>. <paramref name="secrets"/> are the namespace's secrets, or null when they
    /// could not be listed (nothing is then marked).
    /// </summary>
    public string ServiceAccount(ServiceAccount account, IReadOnlyList<Secret>? secrets, IEnumerable<Event> events)
    {
        var meta = account.Metadata ?? new ObjectMeta();
        var w = Header(meta);
        var existing = secrets?.Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var tokens = secrets?.Where(s => s.Type == "kubernetes.io/service-account-token"
            && s.Metadata.Annotations.GetValueOrDefault("kubernetes.io/service-account.name") == meta.Name
            && s.Metadata.Annotations.GetValueOrDefault("kubernetes.io/service-account.uid") == meta.Uid).Select(s => s.Metadata.Name) ?? [];
        (string Header, IReadOnlyList<string> Names)[] sections =
        [
            ("Image pull secrets:", [.. account.ImagePullSecrets.Select(s => s.Name)]),
            ("Mountable secrets: ", [.. account.Secrets.Select(s => s.Name)]),
            ("Tokens:            ", [.. tokens]),
        ];
        foreach (var (header, names) in sections)
        {
            if (names.Count == 0)
            {
                w.Write(0, $"{header}\t<none>\n");
                continue;
            }

            var prefix = header;
            foreach (var name in names)
            {
                var missing = existing is not null && !existing.Contains(name) && header != sections[2].Header;
                w.Write(0, $"{prefix}\t{name}{(missing ? " (not found)" : "")}\n");
                prefix = "                   ";
            }
        }

        Events(w, About(events, account));
        return w.ToString();
    }
}
