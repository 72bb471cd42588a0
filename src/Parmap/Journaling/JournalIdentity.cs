namespace Parmap.Journaling;

/// <summary>The identity of the function a journal records: stable across runs and rebuilds of unchanged code, different when the code, a captured value or a setting it reads (a static readonly field of a simple type) changes.</summary>
internal static class JournalIdentity
{
    /// <summary>
    /// The function's identity as text. The one place that decides it: to be redirected to the function shipping's
    /// identity (<c>FunctionPacker.Identity</c>) once both live on one branch.
    /// </summary>
    public static string Of(Delegate function) => Shipping.FunctionPacker.Identity(function);

    /// <summary>
    /// A readable name for messages: the declaring type and method, with the compiler's names of lambdas and local functions
    /// read back (<c>Program+&lt;&gt;c.&lt;&lt;Main&gt;$&gt;b__0_1</c> is "lambda #1 in Program.&lt;Main&gt;$").
    /// </summary>
    public static string NameOf(System.Reflection.MethodInfo method)
    {
        var type = method.DeclaringType;
        // Closures and cached lambdas live in nested compiler-generated classes (<>c, <>c__DisplayClass0_0): name the user's type.
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }
        var owner = type?.FullName?.Replace('+', '.') ?? "";
        var lambda = System.Text.RegularExpressions.Regex.Match(method.Name, @"^<(?<outer>.*)>b__\d+_(?<n>\d+)$");
        if (lambda.Success)
        {
            return $"lambda #{lambda.Groups["n"].Value} in {Join(owner, lambda.Groups["outer"].Value)}";
        }
        var local = System.Text.RegularExpressions.Regex.Match(method.Name, @"^<(?<outer>.*)>g__(?<name>[^|]+)\|");
        if (local.Success)
        {
            return $"local function {local.Groups["name"].Value} in {Join(owner, local.Groups["outer"].Value)}";
        }
        return Join(owner, method.Name);
    }

    private static string Join(string owner, string member) => owner.Length == 0 ? member : $"{owner}.{member}";
}
