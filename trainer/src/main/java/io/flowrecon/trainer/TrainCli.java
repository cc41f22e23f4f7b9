package io.flowrecon.trainer;

import io.flowrecon.trainer.bundle.BundleCommands;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code train glow|dcgan --data ... --out DIR --minutes N --checkpoint-every-minutes M --resume}: trains a prior,
 * printing progress (images/s, ETA), checkpointing model and optimiser state, and writes a model bundle at the
 * end; {@code verify DIR} and {@code sample DIR --n 64 --out PNG} check and sample a bundle
 * ({@link BundleCommands}). Launch with OMP_NUM_THREADS=1 and OMP_WAIT_POLICY=PASSIVE on a shared machine.
 */
public final class TrainCli {
    private TrainCli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** The commands without System.exit: 0 ok, 1 failed (or out of tolerance), 2 usage error. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        // JavaCPP loads the oneDNN build of libnd4j only with this extension (3-5x faster convolutions)
        if (System.getProperty("org.bytedeco.javacpp.platform.extension") == null) {
            System.setProperty("org.bytedeco.javacpp.platform.extension", "-onednn");
        }
        String command = args.isEmpty() ? "" : args.get(0);
        if (command.equals("verify")) {
            return BundleCommands.verify(args.subList(1, args.size()), out, err);
        }
        if (command.equals("sample")) {
            return BundleCommands.sample(args.subList(1, args.size()), out, err);
        }
        TrainOptions options;
        try {
            options = TrainOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("train: " + e.getMessage());
            err.print(TrainOptions.USAGE);
            return 2;
        }
        if (System.getenv("OMP_NUM_THREADS") == null) {
            err.println("train: note: OMP_NUM_THREADS is not set; on a shared machine set OMP_NUM_THREADS=1 "
                    + "OMP_WAIT_POLICY=PASSIVE");
        }
        try {
            return switch (options.family()) {
                case "glow" -> new GlowRun(options, out).run();
                default -> new DcganRun(options, out).run();
            };
        } catch (IllegalArgumentException e) {
            err.println("train: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("train: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }
}
