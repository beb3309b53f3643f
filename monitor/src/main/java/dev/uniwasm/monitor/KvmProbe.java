package dev.uniwasm.monitor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Decides whether QEMU can use KVM for uniwasm guests. */
public final class KvmProbe {
    public static final Path KVM_DEVICE = Path.of("/dev/kvm");
    /**
     * PVM ("pagetable-based virtual machine", kvm_pvm) serves /dev/kvm on some nested clouds. After a
     * guest exit it emulates the next instructions in a batch, and its emulator knows no SSE
     * arithmetic (xorps, ldmxcsr, ...): compiled Wasm code then dies with "KVM internal error:
     * emulation failure". uniwasm guests use SSE everywhere, so PVM counts as no KVM.
     */
    static final Path PVM_MODULE = Path.of("/sys/module/kvm_pvm");

    /** The answer and, when KVM is not usable, why. */
    public record Verdict(boolean usable, String reason) {}

    private KvmProbe() {}

    public static Verdict probe() {
        return probe(KVM_DEVICE, PVM_MODULE);
    }

    public static boolean kvmUsable() {
        return probe().usable();
    }

    /** KVM when it is usable, TCG otherwise: what {@code --accel auto} picks. */
    public static Accelerator accelerator() {
        return kvmUsable() ? Accelerator.KVM : Accelerator.TCG;
    }

    static Verdict probe(Path device, Path pvmModule) {
        if (!deviceOpens(device)) return new Verdict(false, "cannot open " + device + " read-write");
        if (Files.isDirectory(pvmModule)) {
            return new Verdict(
                    false,
                    device + " is served by PVM (kvm_pvm), whose instruction emulator cannot run SSE code; "
                            + "--accel kvm uses it anyway");
        }
        return new Verdict(true, null);
    }

    /** Whether /dev/kvm opens read-write: permissions, a missing module and container policies all show here. */
    public static boolean deviceOpens() {
        return deviceOpens(KVM_DEVICE);
    }

    static boolean deviceOpens(Path device) {
        try (FileChannel ignored = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
