package dev.uniwasm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of the kit that need no root, containerd or network: mountinfo, the containerd command line, image JSON. */
class KitPartsTest {
    @Test
    void findsMountsUnderAFolder() {
        String info = "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
                + "90 22 0:50 / /w/cd/state/task/ns/id/rootfs rw - overlay overlay rw\n"
                + "91 22 0:51 / /w/cd2 rw - tmpfs tmpfs rw\n"
                + "92 22 0:52 / /w/cd/with\\040space rw - tmpfs tmpfs rw\n";
        assertEquals(List.of("/w/cd/state/task/ns/id/rootfs", "/w/cd/with space"), Mounts.under(info, "/w/cd"));
        assertEquals(List.of(), Mounts.under(info, "/x"));
    }

    /** The hybrid layout's cgroup2 mount (Debian 12 on these machines) is what containerd must not see; pure v1 or v2 hide nothing. */
    @Test
    void hidesOnlyTheCgroup2MountOfAHybridHost() {
        String hybrid = "30 22 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n"
                + "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
                + "41 30 0:38 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n";
        assertEquals(List.of("/sys/fs/cgroup/unified"), Mounts.cgroup2(hybrid));
        assertEquals(List.of("/sys/fs/cgroup/unified"), Containerd.hybridCgroup2(hybrid));
        String v2 = "30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
        assertEquals(List.of("/sys/fs/cgroup"), Mounts.cgroup2(v2));
        assertEquals(List.of(), Containerd.hybridCgroup2(v2));
        assertEquals(
                List.of(),
                Containerd.hybridCgroup2("41 30 0:38 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"));
        // optional fields before the separator do not move the type
        assertEquals(List.of("/x"), Mounts.cgroup2("40 30 0:37 / /x rw shared:9 master:2 - cgroup2 cgroup2 rw\n"));
    }

    @Test
    void containerdRunsInAPrivateMountNamespaceWithoutTheHiddenMounts() {
        List<String> cmd = Containerd.namespacedCommandLine(Path.of("/w/cd"), List.of("/sys/fs/cgroup/unified"));
        assertEquals(
                List.of(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "--",
                        "sh",
                        "-c",
                        "umount -l '/sys/fs/cgroup/unified' || exit 1; exec \"$@\"",
                        "sh",
                        "containerd",
                        "--config",
                        "/w/cd/config.toml"),
                cmd);
        assertEquals(
                "exec \"$@\"",
                Containerd.namespacedCommandLine(Path.of("/w/cd"), List.of()).get(7));
    }

    @Test
    void writesTheImageConfigurationAsJson() {
        assertEquals(
                "[\"/usr/bin/python3\",\"-c\",\"print('a \\\"b\\\"')\\u000a\"]",
                ScratchImage.array(List.of("/usr/bin/python3", "-c", "print('a \"b\"')\n")));
        assertEquals(
                "{\"Entrypoint\":[\"/s\"],\"Cmd\":[],\"Env\":[\"A=1\"],\"WorkingDir\":\"/\"}",
                new ScratchImage.Config(List.of("/s"), List.of(), List.of("A=1")).json());
    }
}
