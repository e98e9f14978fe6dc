using System.Text;

namespace HostDaemons.Agent.Reconcile;

/// <summary>Kubernetes' <c>$(VAR)</c> references in env values, command and args; <c>$$</c> escapes, unknown names stay as written.</summary>
internal static class EnvExpansion
{
    public static string Expand(string input, IReadOnlyDictionary<string, string> variables)
    {
        if (!input.Contains('$', StringComparison.Ordinal))
        {
            return input;
        }

        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }

            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
                continue;
            }

            var close = next == '(' ? input.IndexOf(')', i + 2) : -1;
            if (close < 0)
            {
                output.Append('$');
                continue;
            }

            var name = input[(i + 2)..close];
            output.Append(variables.TryGetValue(name, out var value) ? value : input[i..(close + 1)]);
            i = close;
        }

        return output.ToString();
    }
}
