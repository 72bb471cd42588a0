using System.Runtime.InteropServices;

namespace Parmap.Cli.Native;

/// <summary>
/// Starts a program with <c>posix_spawn</c> in a process group of its own (pgid = its pid), every signal at its default
/// and none blocked, with the given descriptors as its standard input, output and error. <c>posix_spawn</c> starts a
/// program without copying this process's memory (glibc uses <c>CLONE_VFORK</c>), which is what makes a per-item
/// program cheap to start from a large .NET process.
/// </summary>
internal static unsafe class Spawner
{
    /// <summary>Standard input or output goes to <c>/dev/null</c>.</summary>
    public const int DevNull = -1;

    /// <summary>The descriptor is inherited from this process.</summary>
    public const int Inherit = -2;

    /// <summary>Starts <paramref name="path"/> with <paramref name="argv"/> (argv[0] included) and <paramref name="environment"/> ("NAME=value"); returns its pid.</summary>
    /// <exception cref="IOException">The program could not be started (the message names it and the reason).</exception>
    public static int Start(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, int stdin, int stdout, int stderr)
    {
        var actions = NativeMemory.AllocZeroed(Posix.OpaqueSize);
        var attr = NativeMemory.AllocZeroed(Posix.OpaqueSize);
        var sigs = stackalloc byte[Posix.SigsetSize];
        var strings = new List<nint>();
        try
        {
            _ = Posix.posix_spawn_file_actions_init(actions);
            Redirect(actions, strings, stdin, 0);
            Redirect(actions, strings, stdout, 1);
            Redirect(actions, strings, stderr, 2);
            _ = Posix.posix_spawnattr_init(attr);
            // A process group of its own: one kill reaches it and its children; the terminal's Ctrl-C does not.
            _ = Posix.posix_spawnattr_setflags(attr, Posix.POSIX_SPAWN_SETPGROUP | Posix.POSIX_SPAWN_SETSIGMASK | Posix.POSIX_SPAWN_SETSIGDEF);
            _ = Posix.posix_spawnattr_setpgroup(attr, 0);
            _ = Posix.sigemptyset(sigs);
            _ = Posix.posix_spawnattr_setsigmask(attr, sigs);
            // Default handling of every signal (.NET ignores SIGPIPE; a program expects the default).
            _ = Posix.sigfillset(sigs);
            _ = Posix.sigdelset(sigs, Posix.SIGKILL);
            _ = Posix.sigdelset(sigs, Posix.SIGSTOP);
            _ = Posix.posix_spawnattr_setsigdefault(attr, sigs);
            var argvp = Utf8Array(strings, argv);
            var envp = Utf8Array(strings, environment);
            int pid;
            int error;
            fixed (nint* a = argvp, e = envp)
            {
                error = Posix.posix_spawn(out pid, Utf8(strings, path), actions, attr, (byte**)a, (byte**)e);
            }
            if (error != 0)
            {
                throw new IOException($"Could not start '{path}': {Marshal.GetPInvokeErrorMessage(error)}.");
            }
            return pid;
        }
        finally
        {
            _ = Posix.posix_spawn_file_actions_destroy(actions);
            _ = Posix.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    private static void Redirect(void* actions, List<nint> strings, int fd, int target)
    {
        if (fd == DevNull)
        {
            _ = Posix.posix_spawn_file_actions_addopen(actions, target, Utf8(strings, "/dev/null"), target == 0 ? Posix.O_RDONLY : Posix.O_WRONLY, 0);
        }
        else if (fd != Inherit)
        {
            // dup2 onto 0-2 clears close-on-exec there; the original stays close-on-exec and vanishes at exec.
            _ = Posix.posix_spawn_file_actions_adddup2(actions, fd, target);
        }
    }

    private static byte* Utf8(List<nint> strings, string text)
    {
        var p = Marshal.StringToCoTaskMemUTF8(text);
        strings.Add(p);
        return (byte*)p;
    }

    private static nint[] Utf8Array(List<nint> strings, IReadOnlyList<string> texts)
    {
        var array = new nint[texts.Count + 1];
        for (var i = 0; i < texts.Count; i++)
        {
            array[i] = (nint)Utf8(strings, texts[i]);
        }
        return array;
    }
}
