namespace HostDaemons.Model.Serialization;

/// <summary>
/// Counts what a YAML document would be with every alias expanded, without expanding it, and refuses a document whose
/// aliases amplify it: go-yaml's rule (a share of alias-expanded nodes that shrinks from 99% to 10% as the document
/// grows from 400,000 to 4,000,000 nodes), plus a cap on the expanded bytes, which the node count alone does not
/// bound (one 100 KB string aliased 10,000 times is only 10,000 nodes).
/// </summary>
internal sealed class AliasBudget
{
    public const string ExcessiveAliasing = "document contains excessive aliasing";

    /// <summary>go-yaml's <c>alias_ratio_range_low</c>: up to here 99% of the nodes may come from aliases.</summary>
    public const long RatioRangeLow = 400_000;

    /// <summary>go-yaml's <c>alias_ratio_range_high</c>: from here 10% may.</summary>
    public const long RatioRangeHigh = 4_000_000;

    /// <summary>go-yaml judges the ratio only past this many nodes...</summary>
    public const long MinNodesJudged = 1_000;

    /// <summary>...and this many alias-expanded ones.</summary>
    public const long MinAliasedNodesJudged = 100;

    private long _nodes;
    private long _aliasedNodes;
    private long _bytes;

    public void Reset() => (_nodes, _aliasedNodes, _bytes) = (0, 0, 0);

    /// <summary>A scalar, sequence or mapping written in the document; null when within budget, else why not.</summary>
    public string? Node(long bytes)
    {
        _nodes++;
        _bytes += bytes;
        return Check();
    }

    /// <summary>An alias to a node that expands to <paramref name="nodes"/> nodes and <paramref name="bytes"/> bytes.</summary>
    public string? Alias(long nodes, long bytes)
    {
        _nodes += 1 + nodes;
        _aliasedNodes += nodes;
        _bytes += bytes;
        return Check();
    }

    /// <summary>go-yaml's <c>allowedAliasRatio</c>.</summary>
    public static double AllowedRatio(long nodes) => nodes switch
    {
        <= RatioRangeLow => 0.99,
        >= RatioRangeHigh => 0.10,
        _ => 0.99 - (0.89 * (nodes - RatioRangeLow) / (RatioRangeHigh - RatioRangeLow)),
    };

    private string? Check()
    {
        if (_bytes > InputLimits.MaxExpandedBytes)
        {
            return _aliasedNodes > 0
                ? $"{ExcessiveAliasing}: its aliases expand it to more than {InputLimits.MaxExpandedBytes} bytes"
                : $"the document's values add up to more than {InputLimits.MaxExpandedBytes} bytes";
        }

        // Within one alias the share only grows and the allowance only shrinks, so judging after each whole alias
        // refuses exactly what go-yaml, judging node by node, refuses.
        return _aliasedNodes > MinAliasedNodesJudged && _nodes > MinNodesJudged && (double)_aliasedNodes / _nodes > AllowedRatio(_nodes)
            ? ExcessiveAliasing
            : null;
    }
}
