package dev.uniwasm.testkit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A client of Kubernetes' Container Runtime Interface ({@code runtime.v1}), what the kubelet (or
 * crictl) speaks to containerd's CRI plugin: gRPC over containerd's unix socket, the few calls a pod
 * with containers needs, each message encoded by hand ({@link Proto}; field numbers from the CRI
 * API's {@code api.proto}). Pods use the node's network namespace (no CNI plugin needed), each
 * container a pid namespace of its own, as the kubelet gives by default. Every call has a deadline;
 * a call the runtime refuses is a {@link KitException} naming the call and gRPC's status.
 */
public final class Cri implements AutoCloseable {
    private static final String RUNTIME = "runtime.v1.RuntimeService", IMAGES = "runtime.v1.ImageService";

    /** CRI's NamespaceMode. */
    private static final int POD = 0, CONTAINER = 1, NODE = 2;

    /** CRI's ContainerState. */
    public enum State {
        CREATED,
        RUNNING,
        EXITED,
        UNKNOWN
    }

    /**
     * The NamespaceOption of pods and containers: the node's network (so no CNI plugin is needed), a
     * pid namespace per container (the kubelet's default), the pod's IPC.
     */
    private static Proto.Writer namespaces() {
        return new Proto.Writer().varint(1, NODE).varint(2, CONTAINER).varint(3, POD);
    }

    /** Version's answer. */
    public record Version(String apiVersion, String runtimeName, String runtimeVersion) {}

    /**
     * A pod: its metadata, the folder its containers' logs go under (absolute), the parent cgroup of
     * its containers ({@code /NAME}, cgroupfs style; empty: the runtime's default) and its annotations.
     */
    public record Pod(
            String name,
            String namespace,
            String uid,
            Path logDirectory,
            String cgroupParent,
            Map<String, String> annotations) {
        public Pod {
            annotations = Map.copyOf(annotations);
        }

        Proto.Writer encode() {
            return new Proto.Writer()
                    .message(
                            1, new Proto.Writer().string(1, name).string(2, uid).string(3, namespace))
                    .string(3, logDirectory.toString())
                    .map(7, annotations)
                    .message(
                            8,
                            new Proto.Writer()
                                    .string(1, cgroupParent)
                                    .message(2, new Proto.Writer().message(1, namespaces())));
        }
    }

    /**
     * A container: its name in the pod, image (a name or an image ID), command and arguments (empty:
     * the image's entrypoint and Cmd), environment added to the image's, annotations, and its log
     * file relative to the pod's log folder.
     */
    public record Container(
            String name,
            String image,
            List<String> command,
            List<String> args,
            Map<String, String> env,
            Map<String, String> annotations,
            String logPath) {
        public Container {
            command = List.copyOf(command);
            args = List.copyOf(args);
            env = Map.copyOf(env);
            annotations = Map.copyOf(annotations);
        }

        Proto.Writer encode() {
            Proto.Writer w = new Proto.Writer()
                    .message(1, new Proto.Writer().string(1, name))
                    .message(2, new Proto.Writer().string(1, image))
                    .strings(3, command)
                    .strings(4, args);
            for (Map.Entry<String, String> e : env.entrySet()) {
                w.message(6, new Proto.Writer().string(1, e.getKey()).string(2, e.getValue()));
            }
            return w.map(10, annotations)
                    .string(11, logPath)
                    .message(15, new Proto.Writer().message(2, new Proto.Writer().message(3, namespaces())));
        }
    }

    /**
     * ContainerStatus's answer: state, exit code (when finished), reason and message, log file, the
     * annotations as stored, and the runtime's verbose {@code info} (containerd: a JSON "info" with the
     * pid and the OCI runtime spec it gave the runtime).
     */
    public record ContainerStatus(
            String id,
            State state,
            long startedAt,
            long finishedAt,
            int exitCode,
            String reason,
            String message,
            String logPath,
            Map<String, String> annotations,
            Map<String, String> info) {}

    /** ImageStatus's answer for an image the runtime knows. */
    public record Image(String id, List<String> repoTags, List<String> repoDigests, long size) {}

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final ManagedChannel channel;
    private final EventLoopGroup group;
    private final long timeoutSeconds;

    private Cri(ManagedChannel channel, EventLoopGroup group, long timeoutSeconds) {
        this.channel = channel;
        this.group = group;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** A client of the CRI at this unix socket; each call must end within {@code timeoutSeconds}. */
    public static Cri connect(Path socket, long timeoutSeconds) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(group)
                .overrideAuthority("localhost")
                .usePlaintext()
                .build();
        return new Cri(channel, group, timeoutSeconds);
    }

    public Version version() {
        Proto.Message r = call(RUNTIME, "Version", new Proto.Writer().string(1, "v1"));
        return new Version(r.string(4), r.string(2), r.string(3));
    }

    /** RunPodSandbox: the pod's sandbox (containerd: its pause container) under {@code runtimeHandler}; its ID. */
    public String runPodSandbox(Pod pod, String runtimeHandler) {
        return call(
                        RUNTIME,
                        "RunPodSandbox",
                        new Proto.Writer().message(1, pod.encode()).string(2, runtimeHandler))
                .string(1);
    }

    /** PodSandboxStatus: whether the sandbox is ready. */
    public boolean podReady(String podId) {
        Proto.Message r = call(RUNTIME, "PodSandboxStatus", new Proto.Writer().string(1, podId));
        return r.message(1).varint(3) == 0;
    }

    public void stopPodSandbox(String podId) {
        call(RUNTIME, "StopPodSandbox", new Proto.Writer().string(1, podId));
    }

    public void removePodSandbox(String podId) {
        call(RUNTIME, "RemovePodSandbox", new Proto.Writer().string(1, podId));
    }

    /** CreateContainer in a running pod; the container's ID. */
    public String createContainer(String podId, Pod pod, Container container) {
        return call(
                        RUNTIME,
                        "CreateContainer",
                        new Proto.Writer()
                                .string(1, podId)
                                .message(2, container.encode())
                                .message(3, pod.encode()))
                .string(1);
    }

    public void startContainer(String id) {
        call(RUNTIME, "StartContainer", new Proto.Writer().string(1, id));
    }

    /** StopContainer: SIGTERM (or the image's stop signal), SIGKILL after {@code graceSeconds}. */
    public void stopContainer(String id, long graceSeconds) {
        call(RUNTIME, "StopContainer", new Proto.Writer().string(1, id).varint(2, graceSeconds));
    }

    public void removeContainer(String id) {
        call(RUNTIME, "RemoveContainer", new Proto.Writer().string(1, id));
    }

    public ContainerStatus containerStatus(String id) {
        Proto.Message r = call(
                RUNTIME, "ContainerStatus", new Proto.Writer().string(1, id).bool(2, true));
        Proto.Message s = r.message(1);
        State[] states = State.values();
        long state = s.varint(3);
        return new ContainerStatus(
                s.string(1),
                state >= 0 && state < states.length ? states[(int) state] : State.UNKNOWN,
                s.varint(5),
                s.varint(6),
                (int) s.varint(7),
                s.string(10),
                s.string(11),
                s.string(15),
                s.map(13),
                r.map(2));
    }

    /** ContainerStatus until the container has exited, polled for at most {@code seconds}. */
    public ContainerStatus awaitExit(String id, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            ContainerStatus s = containerStatus(id);
            if (s.state() == State.EXITED) return s;
            if (System.nanoTime() > deadline)
                throw new KitException(
                        "CRI container " + id + " has not exited within " + seconds + " s (state " + s.state() + ")");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KitException("interrupted while waiting for CRI container " + id);
            }
        }
    }

    /** ImageStatus: the image as the CRI sees it, empty when it does not know it. */
    public Optional<Image> imageStatus(String image) {
        Proto.Message r =
                call(IMAGES, "ImageStatus", new Proto.Writer().message(1, new Proto.Writer().string(1, image)));
        if (!r.has(1)) return Optional.empty();
        Proto.Message i = r.message(1);
        return Optional.of(new Image(i.string(1), i.strings(2), i.strings(3), i.varint(4)));
    }

    /**
     * The text a container wrote on {@code stream} ({@code stdout} or {@code stderr}), read from its
     * CRI log file: lines {@code TIMESTAMP STREAM TAG TEXT}, where tag {@code P} is a part of a line
     * continued by the next and {@code F} ends one.
     */
    public static String logText(Path logFile, String stream) {
        StringBuilder text = new StringBuilder();
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KitException("cannot read the CRI log " + logFile + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            String[] f = line.split(" ", 4);
            if (f.length < 3 || !(f[2].equals("P") || f[2].equals("F")))
                throw new KitException("not a CRI log line in " + logFile + ": " + line);
            if (!f[1].equals(stream)) continue;
            text.append(f.length == 4 ? f[3] : "");
            if (f[2].equals("F")) text.append('\n');
        }
        return text.toString();
    }

    private Proto.Message call(String service, String method, Proto.Writer request) {
        MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
        try {
            byte[] answer = ClientCalls.blockingUnaryCall(
                    channel,
                    descriptor,
                    CallOptions.DEFAULT.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS),
                    request.toByteArray());
            return Proto.Message.parse(answer);
        } catch (StatusRuntimeException e) {
            throw new KitException("CRI " + method + ": " + e.getStatus().getCode() + ": "
                    + e.getStatus().getDescription());
        }
    }

    /** Closes the connection (waiting a few seconds for calls in flight) and the client's thread. */
    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
}
