// Shapes every server action parses its arguments with. An id is a short string, nothing else:
// an object such as {not: "x"} reaching a Prisma filter would match every row but one.
import { z } from "zod";

export const idSchema = z.string({ error: "Choose one." }).trim().min(1, "Choose one.").max(100);

/** An action that takes nothing still gets whatever a client posts to it: anything at all is refused. */
export const noArgumentsSchema = z.tuple([], { error: "This action takes no input." });
