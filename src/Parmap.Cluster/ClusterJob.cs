using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Parmap.Cluster;

/// <summary>
/// The job directory's contents: <c>cluster.json</c> (the driver's address, the job certificate's thumbprint and the
/// password of its key file), <c>job.pfx</c> (a fresh self-signed certificate with its private key) and <c>node.sh</c>
/// (the command that starts this application as a node). The files holding secrets are created with mode 0600.
/// </summary>
internal sealed record ClusterJob(string Host, int Port, string Thumbprint, string CertificateFile, string Password)
{
    public const string FileName = "cluster.json";
    public const string SystemName = "parmap";
    public const string DriverActor = "parmap-driver";

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    /// <summary>The driver's Akka address, e.g. <c>akka.ssl.tcp://parmap@127.0.0.1:4053</c> (TLS).</summary>
    public string Seed => $"akka.ssl.tcp://{SystemName}@{Host}:{Port}";

    /// <summary>Creates the job's certificate in <paramref name="directory"/>; the port is written later (<see cref="Write"/>).</summary>
    public static (X509Certificate2 Certificate, string Password, string Path) NewCertificate(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // a new one is private
        }
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=parmap-job", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = System.IO.Path.Combine(directory, "job.pfx");
        WriteSecret(path, certificate.Export(X509ContentType.Pfx, password));
        return (X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.Exportable), password, path);
    }

    /// <summary>Writes <c>cluster.json</c> (mode 0600).</summary>
    public void Write(string directory) =>
        WriteSecret(System.IO.Path.Combine(directory, FileName), JsonSerializer.SerializeToUtf8Bytes(this, s_json));

    /// <summary>Reads the job a node joins; says what is wrong with a missing or malformed file.</summary>
    public static ClusterJob Read(string path)
    {
        try
        {
            var job = JsonSerializer.Deserialize<ClusterJob>(File.ReadAllBytes(path), s_json);
            return job is { Host.Length: > 0, Port: > 0, Thumbprint.Length: > 0 } ? job
                : throw new InvalidDataException($"'{path}' lacks the driver's host, port or certificate thumbprint.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidDataException($"The cluster file '{path}' cannot be read ({e.Message}). It is written by the driver (the program whose map runs with ClusterOptions) into its job directory; start the driver first, and give nodes the path of that cluster.json.", e);
        }
    }

    /// <summary>Loads the job's certificate with its key.</summary>
    public X509Certificate2 LoadCertificate(string directory)
    {
        var path = System.IO.Path.IsPathRooted(CertificateFile) ? CertificateFile : System.IO.Path.Combine(directory, CertificateFile);
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, Password, X509KeyStorageFlags.Exportable);
        if (!string.Equals(certificate.Thumbprint, Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            certificate.Dispose();
            throw new InvalidDataException($"The certificate '{path}' is not the one '{FileName}' names (thumbprint {Thumbprint}): the job directory holds files of two different runs of the driver. Use the files of the running driver.");
        }
        return certificate;
    }

    private static void WriteSecret(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // also when the file existed
        }
    }
}
